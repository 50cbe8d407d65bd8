package service

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/schedule"
	"github.com/outreachhq/outreach/core/store"
)

// CampaignInput is a campaign as the API launches it.
type CampaignInput struct {
	Name string
	// Message is the one message; Variants replace it for an A/B test.
	Message  string
	Variants []store.Variant
	// Followups go to every variant that declares none of its own.
	Followups     []store.Followup
	LeadSourceIDs []string
	// AccountIDs are the accounts to send from; none means every account
	// of the workspace.
	AccountIDs      []string
	MaxLeads        int
	Follow, Like    bool
	Comment         bool
	CommentTemplate string
	// Dedupe skips leads another campaign has cold-messaged; nil means yes.
	Dedupe   *bool
	Window   *store.Window
	Schedule string
}

// Launch is what launching a campaign did.
type Launch struct {
	Campaign store.Campaign
	// Queued counts the first DMs queued now: the leads targeted so far.
	Queued int
	// Distribution is how many each account got.
	Distribution []AccountShare
}

// AccountShare is one account's share of a campaign's first DMs.
type AccountShare struct {
	AccountID, Handle string
	Jobs              int
}

// LaunchCampaign creates a campaign over existing lead sources and queues
// a first DM for each eligible lead its sources have kept so far (more as
// they keep more), spread over its accounts, in one transaction.
func (s *Service) LaunchCampaign(ctx context.Context, ws string, in CampaignInput) (Launch, error) {
	checked, err := checkCampaign(in)
	if err != nil {
		return Launch{}, err
	}
	var out Launch
	err = s.update(ctx, func(tx Tx) (bool, error) {
		// Each run starts from the input: below it gets accounts and ids,
		// and Fill advances its offsets.
		c := checked
		for i, id := range c.SourceIDs {
			if _, err := tx.Source(ws, id); store.IsNotFound(err) {
				return false, invalid(fmt.Sprintf("lead_source_ids[%d]", i), "no lead source %q in this workspace", id)
			} else if err != nil {
				return false, err
			}
		}
		accounts, err := tx.Accounts(ws)
		if err != nil {
			return false, err
		}
		if len(c.AccountIDs) == 0 {
			for _, a := range accounts {
				c.AccountIDs = append(c.AccountIDs, a.ID)
			}
			if len(c.AccountIDs) == 0 {
				return false, invalid("account_ids", "the workspace has no account to send from; add one first")
			}
		}
		for i, id := range c.AccountIDs {
			if _, err := tx.Account(ws, id); store.IsNotFound(err) {
				return false, invalid(fmt.Sprintf("account_ids[%d]", i), "no account %q in this workspace", id)
			} else if err != nil {
				return false, err
			}
		}
		now := s.clock.Now().UTC()
		c.ID, c.Workspace, c.CreatedAt, c.UpdatedAt = uuid.NewString(), ws, now, now
		n, err := Fill(tx, &c, now)
		if err != nil {
			return false, err
		}
		out = Launch{Campaign: c, Queued: n}
		out.Distribution, err = distribution(tx, c)
		return n > 0, err
	})
	return out, err
}

// checkCampaign validates a campaign's input, naming the field at fault.
func checkCampaign(in CampaignInput) (store.Campaign, error) {
	c := store.Campaign{
		Name: strings.TrimSpace(in.Name), SourceIDs: in.LeadSourceIDs, AccountIDs: in.AccountIDs, MaxLeads: in.MaxLeads,
		Dedupe: in.Dedupe == nil || *in.Dedupe, Follow: in.Follow, Like: in.Like, Comment: in.Comment,
		CommentTemplate: in.CommentTemplate, Window: in.Window, Schedule: strings.TrimSpace(in.Schedule),
	}
	if c.Name == "" {
		return c, invalid("name", "give the campaign a name")
	}
	switch {
	case len(in.Variants) > 0 && strings.TrimSpace(in.Message) != "":
		return c, invalid("message", "give message or message_variants, not both")
	case len(in.Variants) > config.MaxVariants:
		return c, invalid("message_variants", "at most %d variants, not %d", config.MaxVariants, len(in.Variants))
	case len(in.Variants) > 0:
		c.Variants = append([]store.Variant(nil), in.Variants...)
	case strings.TrimSpace(in.Message) != "":
		c.Variants = []store.Variant{{Message: in.Message}}
	default:
		return c, invalid("message", "give message or message_variants")
	}
	for i := range c.Variants {
		v := &c.Variants[i]
		field := fmt.Sprintf("message_variants[%d]", i)
		if len(in.Variants) == 0 {
			field = "message"
		}
		if strings.TrimSpace(v.Message) == "" {
			return c, invalid(field+".message", "the message is empty")
		}
		if p := config.UnknownPlaceholder(v.Message); p != "" {
			msgField := field + ".message"
			if len(in.Variants) == 0 {
				msgField = "message"
			}
			return c, unknownPlaceholder(msgField, p)
		}
		if v.Weight < 0 || v.Weight > config.MaxVariantWeight {
			return c, invalid(field+".weight", "a weight is between 1 and %d", config.MaxVariantWeight)
		}
		if len(v.Followups) == 0 {
			v.Followups = in.Followups
		}
		for k, f := range v.Followups {
			ff := fmt.Sprintf("%s.followups[%d]", field, k)
			if f.After < time.Minute {
				return c, invalid(ff+".wait_time", "a follow-up waits at least a minute")
			}
			if strings.TrimSpace(f.Message) == "" {
				return c, invalid(ff+".message", "the message is empty")
			}
			if p := config.UnknownPlaceholder(f.Message); p != "" {
				return c, unknownPlaceholder(ff+".message", p)
			}
		}
	}
	if len(c.SourceIDs) == 0 {
		return c, invalid("lead_source_ids", "give at least one lead source id")
	}
	if c.MaxLeads < 0 || c.MaxLeads > config.MaxCampaignLeads {
		return c, invalid("max_leads", "between 1 and %d", config.MaxCampaignLeads)
	}
	if c.Schedule != "" {
		if _, err := schedule.ParseCron(c.Schedule); err != nil {
			return c, invalid("schedule", "%q is not a cron schedule: %v", c.Schedule, err)
		}
	}
	return c, nil
}

// unknownPlaceholder refuses a message with a placeholder that no lead
// fills, which would be sent as it is.
func unknownPlaceholder(field, p string) error {
	return invalid(field, "%s is not filled from a lead; use one of {{%s}}", p, strings.Join(config.Placeholders, "}}, {{"))
}

// distribution counts each account's first DMs of a campaign.
func distribution(tx Tx, c store.Campaign) ([]AccountShare, error) {
	tallies, err := tx.CampaignTallies(c.Workspace, c.ID)
	if err != nil {
		return nil, err
	}
	jobs := map[string]int{}
	for _, t := range tallies {
		if t.Kind == store.JobDM {
			jobs[t.AccountID] += t.N
		}
	}
	out := make([]AccountShare, 0, len(c.AccountIDs))
	for _, id := range c.AccountIDs {
		sh := AccountShare{AccountID: id, Jobs: jobs[id]}
		if a, err := tx.Account(c.Workspace, id); err == nil {
			sh.Handle = a.Handle
		} else if !store.IsNotFound(err) {
			return nil, err
		}
		out = append(out, sh)
	}
	return out, nil
}

// CampaignUpdate changes a campaign; nil fields keep their value.
type CampaignUpdate struct {
	Name     *string
	MaxLeads *int
}

// UpdateCampaign changes a campaign and fills it again: a higher max_leads
// queues more leads at once. A campaign configuration manages can be
// changed too; the next plan then shows the change back to what the
// configuration says.
func (s *Service) UpdateCampaign(ctx context.Context, ws, id string, u CampaignUpdate) (store.Campaign, error) {
	if u.Name != nil && strings.TrimSpace(*u.Name) == "" {
		return store.Campaign{}, invalid("name", "give the campaign a name")
	}
	if u.MaxLeads != nil && (*u.MaxLeads < 0 || *u.MaxLeads > config.MaxCampaignLeads) {
		return store.Campaign{}, invalid("max_leads", "between 1 and %d", config.MaxCampaignLeads)
	}
	var c store.Campaign
	err := s.update(ctx, func(tx Tx) (bool, error) {
		var err error
		if c, err = campaign(tx, ws, id); err != nil {
			return false, err
		}
		if u.Name != nil {
			c.Name = strings.TrimSpace(*u.Name)
		}
		if u.MaxLeads != nil {
			c.MaxLeads = *u.MaxLeads
		}
		c.UpdatedAt = s.clock.Now().UTC()
		n, err := Fill(tx, &c, c.UpdatedAt)
		return n > 0, err
	})
	return c, err
}

func campaign(tx Tx, ws, id string) (store.Campaign, error) {
	c, err := tx.Campaign(ws, id)
	if store.IsNotFound(err) {
		return c, notFound("campaign %s", id)
	}
	return c, err
}

// campaignByRef finds a campaign by its id or, failing that, by its name:
// the hosted API's listings show campaigns by name only. A name two
// campaigns share is a conflict: the caller must use an id.
func campaignByRef(tx Tx, ws, ref string) (store.Campaign, error) {
	c, err := tx.Campaign(ws, ref)
	if err == nil || !store.IsNotFound(err) {
		return c, err
	}
	all, err := tx.Campaigns(ws)
	if err != nil {
		return store.Campaign{}, err
	}
	var found []store.Campaign
	for _, c := range all {
		if c.Name == strings.TrimSpace(ref) {
			found = append(found, c)
		}
	}
	switch len(found) {
	case 0:
		return store.Campaign{}, notFound("campaign %s", ref)
	case 1:
		return found[0], nil
	}
	return store.Campaign{}, &ConflictError{Field: "campaign", Reason: fmt.Sprintf("%d campaigns are named %q; name one by its id", len(found), ref)}
}

// PauseCampaign stops a campaign's sends until it is resumed; its jobs
// wait. ResumeCampaign lets them go again. ref is the campaign's id or
// its name.
func (s *Service) PauseCampaign(ctx context.Context, ws, ref string) (store.Campaign, error) {
	return s.setCampaignPaused(ctx, ws, ref, true)
}

// ResumeCampaign undoes PauseCampaign.
func (s *Service) ResumeCampaign(ctx context.Context, ws, ref string) (store.Campaign, error) {
	return s.setCampaignPaused(ctx, ws, ref, false)
}

func (s *Service) setCampaignPaused(ctx context.Context, ws, ref string, paused bool) (store.Campaign, error) {
	var c store.Campaign
	err := s.update(ctx, func(tx Tx) (bool, error) {
		var err error
		if c, err = campaignByRef(tx, ws, ref); err != nil || c.Paused == paused {
			return false, err
		}
		c.Paused, c.UpdatedAt = paused, s.clock.Now().UTC()
		return !paused, tx.PutCampaign(c)
	})
	return c, err
}

// removeCampaign deletes a campaign and cancels its pending jobs. Its
// conversations stay.
func removeCampaign(tx Tx, c store.Campaign, now time.Time) error {
	if err := cancelJobs(tx, c.Workspace, store.JobQuery{CampaignID: c.ID, State: store.JobPending}, now, "its campaign was removed"); err != nil {
		return err
	}
	return tx.DeleteCampaign(c.Workspace, c.ID)
}
