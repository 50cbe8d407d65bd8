package service

import "encoding/json"

func fmtJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
