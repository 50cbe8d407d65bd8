package config

import (
	"fmt"
	"net"
	"net/url"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Cookie is one browser cookie of an account's session, as a Chrome cookie
// export has it. Cookies are secret.
type Cookie struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Domain string `json:"domain,omitempty"`
}

// RequiredCookies are the cookies an X session cannot work without.
var RequiredCookies = []string{"auth_token", "ct0"}

// decodeCookies reads `cookies`: either a map of name to value,
//
//	cookies = { auth_token = var.auth_token, ct0 = var.ct0 }
//
// or a list of cookie objects, as a browser extension exports them,
//
//	cookies = jsondecode(file("cookies.json"))
//
// whose keys other than name, value and domain are ignored.
func (sc *scope) decodeCookies(attr *hcl.Attribute, diags *hcl.Diagnostics) ([]Cookie, bool) {
	const hint = `Write a map like cookies = { auth_token = "...", ct0 = "..." }, or a list of objects with name and value, like jsondecode(file("cookies.json")).`
	val, d := sc.eval(attr.Expr)
	*diags = append(*diags, d...)
	if d.HasErrors() || !val.IsWhollyKnown() {
		return nil, false
	}
	bad := func(why string) ([]Cookie, bool) {
		*diags = append(*diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid cookies",
			Detail:   fmt.Sprintf("The cookies %s. %s", why, hint),
			Subject:  attr.Expr.Range().Ptr(),
		})
		return nil, false
	}
	if val.IsNull() {
		return bad("are null")
	}
	var out []Cookie
	ty := val.Type()
	switch {
	case ty.IsObjectType() || ty.IsMapType():
		for it := val.ElementIterator(); it.Next(); {
			k, v := it.Element()
			if v.IsNull() || v.Type() != cty.String {
				return bad(fmt.Sprintf("map has a value for %q that is not a string", k.AsString()))
			}
			out = append(out, Cookie{Name: k.AsString(), Value: v.AsString()})
		}
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		i := 0
		for it := val.ElementIterator(); it.Next(); i++ {
			_, v := it.Element()
			if v.IsNull() || !(v.Type().IsObjectType() || v.Type().IsMapType()) {
				return bad(fmt.Sprintf("list has an element %d that is not an object", i+1))
			}
			str := func(key string) (string, bool) {
				var e cty.Value
				switch {
				case v.Type().IsObjectType():
					if !v.Type().HasAttribute(key) {
						return "", false
					}
					e = v.GetAttr(key)
				case v.HasIndex(cty.StringVal(key)).True():
					e = v.Index(cty.StringVal(key))
				default:
					return "", false
				}
				if e.IsNull() || e.Type() != cty.String {
					return "", false
				}
				return e.AsString(), true
			}
			c := Cookie{}
			var ok bool
			if c.Name, ok = str("name"); !ok || c.Name == "" {
				return bad(fmt.Sprintf("list has an element %d without a string name", i+1))
			}
			if c.Value, ok = str("value"); !ok {
				return bad(fmt.Sprintf("list has an element %d (%s) without a string value", i+1, c.Name))
			}
			c.Domain, _ = str("domain")
			out = append(out, c)
		}
	default:
		return bad("are " + describeValue(val))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	var missing []string
	for _, name := range RequiredCookies {
		found := false
		for _, c := range out {
			found = found || (c.Name == name && c.Value != "")
		}
		if !found {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		*diags = append(*diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Incomplete cookies",
			Detail:   fmt.Sprintf("The cookies lack %s. An X session needs at least %s; export them from a browser signed in to the account.", strings.Join(missing, " and "), strings.Join(RequiredCookies, " and ")),
			Subject:  attr.Expr.Range().Ptr(),
		})
		return nil, false
	}
	return out, true
}

// decodeTokens reads `tokens = { bearer_token = "..." }`: credentials other
// than cookies, passed to the network plugin as they are.
func (sc *scope) decodeTokens(attr *hcl.Attribute, diags *hcl.Diagnostics) (map[string]string, bool) {
	const hint = `Write a map of names to strings, like tokens = { bearer_token = var.x_token }.`
	val, ok := sc.evalAttr(attr, cty.Map(cty.String), "a map of strings", hint, diags)
	if !ok {
		return nil, false
	}
	out := map[string]string{}
	for it := val.ElementIterator(); it.Next(); {
		k, v := it.Element()
		if v.IsNull() || k.AsString() == "" {
			*diags = append(*diags, typeMismatch(attr, "a map of strings", hint+" A token is null or has an empty name.", val))
			return nil, false
		}
		out[k.AsString()] = v.AsString()
	}
	return out, true
}

// ProxySchemes are the proxy URL schemes an account may use.
var ProxySchemes = []string{"http", "https", "socks5", "socks5h"}

// NormalizeProxy reads a proxy as "host:port" or "scheme://host:port" and
// returns it as a URL. Credentials are refused here: they belong in
// proxy_auth, which is kept secret.
func NormalizeProxy(s string) (string, error) {
	s = strings.TrimSpace(s)
	raw := s
	if !strings.Contains(s, "://") {
		raw = "http://" + s
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("%q is not a proxy address", s)
	}
	if u.User != nil {
		return "", fmt.Errorf("the proxy %q holds credentials, which would be shown in plans; put them in proxy_auth, which is kept secret", u.Redacted())
	}
	if indexOf(ProxySchemes, u.Scheme) < 0 {
		return "", fmt.Errorf("the proxy scheme %q is not one of %s", u.Scheme, strings.Join(ProxySchemes, ", "))
	}
	if _, port, err := net.SplitHostPort(u.Host); err != nil || port == "" {
		return "", fmt.Errorf("the proxy %q has no port", s)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("the proxy %q has a path or query, which a proxy address does not take", s)
	}
	u.Path = ""
	return u.String(), nil
}

var pinRE = regexp.MustCompile(`^[0-9]{4,8}$`)
