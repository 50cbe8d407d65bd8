package store

import (
	"errors"
	"sort"
	"time"
)

// Named objects (accounts, filters, sources, campaigns) are stored by id,
// with a name index for the ones that config manages.

func putObject(t *Tx, ws, kind, id, name string, v any) error {
	if name != "" {
		if err := t.setString(nameKey(ws, kind, name), id); err != nil {
			return err
		}
	}
	return t.put(objKey(ws, kind, id), v)
}

func deleteObject(t *Tx, ws, kind, id, name string) error {
	if name != "" {
		if err := t.del(nameKey(ws, kind, name)); err != nil {
			return err
		}
	}
	return t.del(objKey(ws, kind, id))
}

func objectByName[T any](t *Tx, ws, kind, name string) (T, error) {
	var v T
	id, err := t.getString(nameKey(ws, kind, name))
	if err != nil {
		return v, err
	}
	err = t.get(objKey(ws, kind, id), &v)
	return v, err
}

func objectByID[T any](t *Tx, ws, kind, id string) (T, error) {
	var v T
	err := t.get(objKey(ws, kind, id), &v)
	return v, err
}

// objects lists a kind's objects, oldest first.
func objects[T any](t *Tx, ws, kind string, created func(*T) time.Time) ([]T, error) {
	out, err := scanJSON[T](t, wsKey(ws, "obj", kind)+"/")
	sort.SliceStable(out, func(i, j int) bool { return created(&out[i]).Before(created(&out[j])) })
	return out, err
}

// PutAccount creates or replaces an account.
func (t *Tx) PutAccount(a Account) error {
	return putObject(t, a.Workspace, KindAccount, a.ID, a.Name, a)
}

// Account returns an account by id.
func (t *Tx) Account(ws, id string) (Account, error) {
	return objectByID[Account](t, ws, KindAccount, id)
}

// AccountByName returns a config-managed account by its block name.
func (t *Tx) AccountByName(ws, name string) (Account, error) {
	return objectByName[Account](t, ws, KindAccount, name)
}

// Accounts lists the workspace's accounts, oldest first.
func (t *Tx) Accounts(ws string) ([]Account, error) {
	return objects(t, ws, KindAccount, func(a *Account) time.Time { return a.CreatedAt })
}

// AllAccounts lists the accounts of every workspace, workspace by
// workspace, oldest first within each: what the engine serves.
func (t *Tx) AllAccounts() ([]Account, error) {
	workspaces, err := t.Workspaces()
	if err != nil {
		return nil, err
	}
	var all []Account
	for _, ws := range workspaces {
		accounts, err := t.Accounts(ws)
		if err != nil {
			return nil, err
		}
		all = append(all, accounts...)
	}
	return all, nil
}

// DeleteAccount removes an account.
func (t *Tx) DeleteAccount(a Account) error {
	return deleteObject(t, a.Workspace, KindAccount, a.ID, a.Name)
}

// PutFilter creates or replaces a filter.
func (t *Tx) PutFilter(f Filter) error { return putObject(t, f.Workspace, KindFilter, f.ID, f.Name, f) }

// Filter returns a filter by id.
func (t *Tx) Filter(ws, id string) (Filter, error) { return objectByID[Filter](t, ws, KindFilter, id) }

// FilterByName returns a filter by name.
func (t *Tx) FilterByName(ws, name string) (Filter, error) {
	return objectByName[Filter](t, ws, KindFilter, name)
}

// Filters lists the workspace's filters, oldest first.
func (t *Tx) Filters(ws string) ([]Filter, error) {
	return objects(t, ws, KindFilter, func(f *Filter) time.Time { return f.CreatedAt })
}

// DeleteFilter removes a filter.
func (t *Tx) DeleteFilter(f Filter) error {
	return deleteObject(t, f.Workspace, KindFilter, f.ID, f.Name)
}

// PutSource creates or replaces a lead source.
func (t *Tx) PutSource(s Source) error { return putObject(t, s.Workspace, KindSource, s.ID, s.Name, s) }

// Source returns a lead source by id.
func (t *Tx) Source(ws, id string) (Source, error) { return objectByID[Source](t, ws, KindSource, id) }

// SourceByName returns a lead source by name.
func (t *Tx) SourceByName(ws, name string) (Source, error) {
	return objectByName[Source](t, ws, KindSource, name)
}

// Sources lists the workspace's lead sources, oldest first.
func (t *Tx) Sources(ws string) ([]Source, error) {
	return objects(t, ws, KindSource, func(s *Source) time.Time { return s.CreatedAt })
}

// DeleteSource removes a lead source.
func (t *Tx) DeleteSource(s Source) error {
	return deleteObject(t, s.Workspace, KindSource, s.ID, s.Name)
}

// PutCampaign creates or replaces a campaign.
func (t *Tx) PutCampaign(c Campaign) error {
	return putObject(t, c.Workspace, KindCampaign, c.ID, c.Name, c)
}

// Campaign returns a campaign by id.
func (t *Tx) Campaign(ws, id string) (Campaign, error) {
	return objectByID[Campaign](t, ws, KindCampaign, id)
}

// CampaignByName returns a campaign by name.
func (t *Tx) CampaignByName(ws, name string) (Campaign, error) {
	return objectByName[Campaign](t, ws, KindCampaign, name)
}

// Campaigns lists the workspace's campaigns, oldest first.
func (t *Tx) Campaigns(ws string) ([]Campaign, error) {
	return objects(t, ws, KindCampaign, func(c *Campaign) time.Time { return c.CreatedAt })
}

// DeleteCampaign removes a campaign.
func (t *Tx) DeleteCampaign(c Campaign) error {
	return deleteObject(t, c.Workspace, KindCampaign, c.ID, c.Name)
}

// PutAPIKey stores an API key record (its hash, never the key).
func (t *Tx) PutAPIKey(k APIKey) error { return t.put(apiKeyKey(k.Hash), k) }

// APIKeyByHash returns the key record with this hash.
func (t *Tx) APIKeyByHash(hash string) (APIKey, error) {
	var k APIKey
	err := t.get(apiKeyKey(hash), &k)
	return k, err
}

// APIKeys lists the keys of a workspace.
func (t *Tx) APIKeys(ws string) ([]APIKey, error) {
	all, err := scanJSON[APIKey](t, "apikey/")
	var out []APIKey
	for _, k := range all {
		if k.Workspace == ws {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.Before(out[j].CreatedAt) })
	return out, err
}

// IsNotFound reports whether err means a record does not exist.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// PutWorkspace registers a workspace name; registering twice is harmless.
func (t *Tx) PutWorkspace(name string) error { return t.setString("workspace/"+name, "") }

// Workspaces lists the registered workspaces in name order.
func (t *Tx) Workspaces() ([]string, error) {
	var out []string
	err := t.scan("workspace/", func(k, _ string) bool {
		out = append(out, k[len("workspace/"):])
		return true
	})
	return out, err
}

// DeleteNamed removes the config-managed object of a kind by its name;
// removing one that does not exist is harmless.
func (t *Tx) DeleteNamed(ws, kind, name string) error {
	id, err := t.getString(nameKey(ws, kind, name))
	if IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	return deleteObject(t, ws, kind, id, name)
}
