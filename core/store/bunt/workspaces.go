package bunt

func workspaceKey(name string) string { return key("workspace", name) }

// PutWorkspace registers a workspace; registering one twice is harmless.
func (t *Tx) PutWorkspace(name string) error {
	if err := need("workspace", name); err != nil {
		return err
	}
	return t.set(workspaceKey(name), name)
}

// Workspaces lists the registered workspaces in name order.
func (t *Tx) Workspaces() ([]string, error) {
	out := []string{}
	err := t.scanPrefix(prefix("workspace"), func(_, v string) (bool, error) {
		out = append(out, v)
		return true, nil
	})
	return out, err
}

func settingKey(name string) string { return key("setting", name) }

// Setting returns an install-wide setting; "" if none was ever put.
func (t *Tx) Setting(name string) (string, error) {
	v, _, err := t.raw(settingKey(name))
	return v, err
}

// PutSetting stores an install-wide setting.
func (t *Tx) PutSetting(name, value string) error {
	if err := need("setting", name); err != nil {
		return err
	}
	return t.set(settingKey(name), value)
}
