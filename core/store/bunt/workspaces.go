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
