package plan

import (
	"github.com/outreachhq/outreach/core/config"
	"github.com/outreachhq/outreach/core/engine"
	"github.com/outreachhq/outreach/core/store"
)

// Work is what a configuration will make the engine do.
type Work struct {
	Sources   []SourceWork   `json:"sources"`
	Campaigns []CampaignWork `json:"campaigns"`
}

// SourceWork is the scraping a source still needs.
type SourceWork struct {
	Name string `json:"name"`
	// Targets counts the lists still to scrape (handle x followers|following).
	Targets int `json:"targets"`
	// Kept is how many leads the source already has; MaxLeads its budget.
	Kept     int `json:"kept"`
	MaxLeads int `json:"max_leads"`
}

// CampaignWork is the messaging a campaign still needs.
type CampaignWork struct {
	Name string `json:"name"`
	// Sent counts first DMs already sent, Failed those that failed for good;
	// MaxLeads is the campaign's limit.
	Sent     int `json:"sent"`
	Failed   int `json:"failed"`
	MaxLeads int `json:"max_leads"`
	// PerAccount is the most first DMs each account will send.
	PerAccount map[string]int `json:"per_account"`
	Followups  int            `json:"followups_per_lead"`
}

func work(tx *store.Tx, cfg *config.Config, ws string) (Work, error) {
	var w Work
	for _, s := range cfg.Sources {
		sw := SourceWork{Name: s.Name, MaxLeads: s.MaxLeads}
		if cur, err := tx.SourceByName(ws, s.Name); err == nil {
			if sw.Kept, err = tx.SourceLeadCount(ws, cur.ID); err != nil {
				return w, err
			}
			for _, t := range Targets(s) {
				for _, rel := range Relations(t) {
					if j, err := tx.Job(ws, engine.ScrapeJobID(cur.ID, rel, t.Handle)); err != nil || !j.State.Final() {
						sw.Targets++
					}
				}
			}
		} else {
			for _, t := range Targets(s) {
				sw.Targets += len(Relations(t))
			}
		}
		w.Sources = append(w.Sources, sw)
	}
	for _, c := range cfg.Campaigns {
		cw := CampaignWork{Name: c.Name, MaxLeads: c.MaxLeads, PerAccount: map[string]int{}}
		if cur, err := tx.CampaignByName(ws, c.Name); err == nil {
			jobs, err := tx.Jobs(ws, engine.DMJobID(cur.ID, ""))
			if err != nil {
				return w, err
			}
			for _, j := range jobs {
				switch {
				case j.State == store.JobDone:
					cw.Sent++
				case j.State.Final():
					cw.Failed++
				}
			}
		}
		accounts := CampaignAccounts(cfg, c)
		if c.MaxLeads > 0 && len(accounts) > 0 {
			remaining := max(c.MaxLeads-cw.Sent-cw.Failed, 0)
			for i, a := range accounts {
				cw.PerAccount[a] = remaining / len(accounts)
				if i < remaining%len(accounts) {
					cw.PerAccount[a]++
				}
			}
		}
		for _, v := range Variants(c) {
			cw.Followups = max(cw.Followups, len(v.Followups))
		}
		w.Campaigns = append(w.Campaigns, cw)
	}
	return w, nil
}

// Relations lists the lists a target scrapes: "followers", "following".
func Relations(t store.Target) []string {
	var out []string
	if t.Followers {
		out = append(out, "followers")
	}
	if t.Following {
		out = append(out, "following")
	}
	return out
}
