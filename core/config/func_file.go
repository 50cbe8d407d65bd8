package config

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"unicode/utf8"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// maxFileSize bounds what file() reads: it is for message texts, cookie
// exports and the like, not for data sets.
const maxFileSize = 4 << 20

// makeFileFunc returns file(PATH): the contents of a UTF-8 text file, a
// relative PATH being taken from dir, the directory of the file that calls
// it, as Terraform's path.module would be.
func makeFileFunc(dir string) function.Function {
	return function.New(&function.Spec{
		Description: "Reads a text file, relative to the configuration file that calls it.",
		Params:      []function.Parameter{{Name: "path", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder {
			return b.NotNull()
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			path := args[0].AsString()
			if !filepath.IsAbs(path) {
				path = filepath.Join(dir, path)
			}
			f, err := os.Open(path)
			if err != nil {
				return cty.NilVal, fmt.Errorf("cannot read %s: %v", path, err)
			}
			defer f.Close()
			// Only regular files: a device such as /dev/zero never ends.
			if info, err := f.Stat(); err != nil || !info.Mode().IsRegular() {
				return cty.NilVal, fmt.Errorf("%s is not a regular file", path)
			}
			b, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
			if err != nil {
				return cty.NilVal, fmt.Errorf("cannot read %s: %v", path, err)
			}
			if len(b) > maxFileSize {
				return cty.NilVal, fmt.Errorf("%s is larger than %d MiB", path, maxFileSize>>20)
			}
			if !utf8.Valid(b) {
				return cty.NilVal, fmt.Errorf("%s is not UTF-8 text", path)
			}
			return cty.StringVal(string(b)), nil
		},
	})
}

// noFileFunc is file() where files may not be read: in a configuration
// sent to the server, which must not reach the server's own files.
var noFileFunc = function.New(&function.Spec{
	Description: "Not available: this configuration may not read files.",
	Params:      []function.Parameter{{Name: "path", Type: cty.String}},
	Type:        function.StaticReturnType(cty.String),
	Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
		return cty.NilVal, fmt.Errorf("file() cannot read files in a configuration sent to the API; put the text in the configuration itself")
	},
})
