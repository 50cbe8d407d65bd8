package plan

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
)

// FileFormatVersion is the version of the saved plan format; a file of
// another version is refused rather than misread.
const FileFormatVersion = 1

// File is a saved plan (`outreach plan -out FILE`): the plan as shown, and
// the configuration it was made from, to apply later. The configuration
// holds secrets, so it is sealed with the data dir's key; the plan holds
// only keyed digests of them.
type File struct {
	FormatVersion   int    `json:"format_version"`
	OutreachVersion string `json:"outreach_version"`
	Plan            *Plan  `json:"plan"`
	// Config is the decoded configuration as JSON, sealed.
	Config []byte `json:"config"`
}

// WriteFile saves a plan file, readable by its owner only.
func WriteFile(path string, f *File) error {
	f.FormatVersion = FileFormatVersion
	b, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return fmt.Errorf("encode plan file: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("write plan file: %w", err)
	}
	return nil
}

// ReadFile reads a plan file WriteFile saved.
func ReadFile(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read plan file: %w", err)
	}
	var f File
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s is not a saved plan: %w", path, err)
	}
	switch {
	case f.FormatVersion != FileFormatVersion:
		return nil, fmt.Errorf("%s is a saved plan of format %d, but this outreach reads format %d: plan again", path, f.FormatVersion, FileFormatVersion)
	case f.Plan == nil || len(f.Config) == 0:
		return nil, errors.New(path + " is not a complete saved plan: plan again")
	}
	return &f, nil
}
