package postgres

import (
	"fmt"
)

// PutWorkspace registers a workspace; registering one twice is harmless.
func (t *Tx) PutWorkspace(name string) error {
	if err := need("workspace", name); err != nil {
		return err
	}
	if err := t.put(fmt.Sprintf("put workspace %q", name), `INSERT INTO workspaces (name) VALUES ($1) ON CONFLICT DO NOTHING`, name); err != nil {
		return err
	}
	return nil
}

// Workspaces lists the registered workspaces in name order.
func (t *Tx) Workspaces() ([]string, error) {
	out := []string{}
	err := t.each(`SELECT name FROM workspaces ORDER BY name`, nil, func(rows row) error {
		var name string
		err := rows.Scan(&name)
		out = append(out, name)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list workspaces: %w", err)
	}
	return out, nil
}

// Setting returns an install-wide setting; "" if none was ever put.
func (t *Tx) Setting(name string) (string, error) {
	var v string
	if _, err := t.one(`SELECT value FROM settings WHERE name = $1`, []any{name}, &v); err != nil {
		return "", fmt.Errorf("read setting %q: %w", name, err)
	}
	return v, nil
}

// PutSetting stores an install-wide setting.
func (t *Tx) PutSetting(name, value string) error {
	if err := need("setting", name); err != nil {
		return err
	}
	if err := t.put(fmt.Sprintf("put setting %q", name), `INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
		name, value); err != nil {
		return err
	}
	return nil
}
