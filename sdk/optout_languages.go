package sdk

import "strings"

// foreignOptOuts are the commonest ways to end contact in the languages
// leads on X most often answer an English DM in: Spanish, Portuguese,
// French, German, Italian, Dutch, Indonesian and romanized Hindi, with and without their
// accents. Each is a request to stop writing, to be left alone or to be
// taken off a list, with no innocent sense. The rest of the detector is
// English; these only keep a lead who says stop in their own language
// from being messaged again.
var foreignOptOuts = []string{
	// Spanish.
	"no me escribas", "no me escriba", "no me escriban", "deja de escribirme",
	"dejen de escribirme", "deje de escribirme", "deja de mandarme", "dejen de mandarme", "no me mandes",
	"no me envíes", "no me envies", "no me contactes", "no me contacte", "no me contacten",
	"no me molestes", "no me moleste", "no me molesten", "déjame en paz", "dejame en paz",
	"dejadme en paz", "no quiero recibir", "dame de baja", "darme de baja", "bórrame", "borrame",
	// Portuguese.
	"pare de me mandar", "para de me mandar", "pare de me enviar", "para de me enviar",
	"pare de me escrever", "para de me escrever", "parem de me mandar", "não me mande", "nao me mande",
	"não me mandem", "nao me mandem", "não me envie", "nao me envie", "não me escreva", "nao me escreva",
	"não me contate", "nao me contate", "me deixe em paz", "me deixa em paz", "não quero receber",
	"nao quero receber", "me tire da lista", "me tira da lista", "descadastre", "descadastrar",
	// French.
	"arrête de m'écrire", "arrêtez de m'écrire", "arrete de m'ecrire", "arretez de m'ecrire",
	"arrête de me contacter", "arrêtez de me contacter", "arrete de me contacter", "arretez de me contacter",
	"ne me contactez plus", "ne me contacte plus", "ne m'écrivez plus", "ne m'ecrivez plus",
	"ne m'écris plus", "ne m'ecris plus", "laissez-moi tranquille", "laisse-moi tranquille",
	"laissez moi tranquille", "laisse moi tranquille", "fichez-moi la paix", "fiche-moi la paix",
	"désabonnez-moi", "desabonnez-moi", "retirez-moi", "supprimez-moi", "ne plus me contacter",
	"ne plus m'écrire", "ne plus m'ecrire", "ne plus m'envoyer",
	// German.
	"hör auf", "hor auf", "hoer auf", "hören sie auf", "horen sie auf", "hört auf", "schreib mir nicht",
	"schreiben sie mir nicht", "kontaktieren sie mich nicht", "kontaktiere mich nicht",
	"lass mich in ruhe", "lassen sie mich in ruhe", "nicht mehr kontaktieren", "nicht mehr schreiben",
	"nicht mehr anschreiben", "tragen sie mich aus", "entfernen sie mich",
	// Italian.
	"smetti di scrivermi", "smettila di scrivermi", "smettete di scrivermi", "non scrivermi più",
	"non scrivermi piu", "non contattarmi", "lasciami in pace", "lasciatemi in pace", "cancellami",
	// Dutch.
	"niet meer sturen", "stuur me niet", "stuur me geen", "laat me met rust", "niet meer contacteren",
	"geen berichten meer", "stop met sturen", "stop met berichten",
	// Indonesian.
	"berhenti kirim", "berhenti mengirim", "jangan hubungi", "jangan kirim", "jangan chat saya",
	// Romanized Hindi.
	"mat bhejo", "message mat karo", "msg mat karo", "pareshan mat karo", "band karo",
}

// foreignOptOutSubstrings are opt-outs in languages written without spaces
// between words (Japanese, Chinese), found anywhere in a reply.
var foreignOptOutSubstrings = []string{
	"連絡しないで", "送らないで", "メッセージしないで", "連絡は不要", "配信停止",
	"不要再联系", "别再联系", "不要联系我", "别再发", "不要再发", "请勿联系", "退订",
	"不要再聯繫", "別再發", "請勿聯繫",
}

// foreignOptOutIn reports whether text holds one of
// foreignOptOutSubstrings.
func foreignOptOutIn(text string) bool {
	for _, p := range foreignOptOutSubstrings {
		if strings.Contains(text, p) {
			return true
		}
	}
	return false
}
