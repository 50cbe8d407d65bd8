package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/outreachhq/outreach/core/service"
	"github.com/outreachhq/outreach/core/store"
)

// campaignsService is what the operations of /campaigns call.
type campaignsService interface {
	// LaunchCampaign creates a campaign and queues its first DMs.
	LaunchCampaign(ctx context.Context, ws string, in service.CampaignInput) (service.Launch, error)
	// ListCampaigns returns a page of the workspace's campaigns, newest
	// first, and how many there are.
	ListCampaigns(ctx context.Context, ws string, limit, offset int) ([]service.CampaignSummary, int, error)
	// Analytics returns the workspace's campaign figures.
	Analytics(ctx context.Context, ws string, q service.AnalyticsQuery) (service.Analytics, error)
	// PauseCampaign and ResumeCampaign stop and restart a campaign's sends;
	// ref is its id or name.
	PauseCampaign(ctx context.Context, ws, ref string) (store.Campaign, error)
	ResumeCampaign(ctx context.Context, ws, ref string) (store.Campaign, error)
}

// followupIn is a follow-up message, sent if the lead has not replied.
type followupIn struct {
	WaitTime int    `json:"wait_time" minimum:"1" maximum:"10000" doc:"How long to wait after the previous message, in wait_unit." example:"3"`
	WaitUnit string `json:"wait_unit" enum:"minutes,hours,days" doc:"Unit of wait_time." example:"days"`
	Message  string `json:"message" minLength:"1" maxLength:"10000" doc:"Follow-up text; supports {{firstName}}, {{name}} and {{username}}." example:"Just bumping this up!"`
}

var waitUnits = map[string]time.Duration{"minutes": time.Minute, "hours": time.Hour, "days": 24 * time.Hour}

func followupsFrom(in []followupIn) []store.Followup {
	var out []store.Followup
	for _, f := range in {
		out = append(out, store.Followup{After: time.Duration(f.WaitTime) * waitUnits[f.WaitUnit], Message: f.Message})
	}
	return out
}

// variantIn is one message of an A/B test.
type variantIn struct {
	Message   string       `json:"message" minLength:"1" maxLength:"10000" doc:"Message text; supports {{firstName}}, {{name}} and {{username}}." example:"Hey {{firstName}}, I saw your work and wanted to connect!"`
	Followups []followupIn `json:"followups,omitempty" maxItems:"10" doc:"This variant's follow-ups; without them the campaign's followups apply."`
}

type launchCampaignInput struct {
	Body struct {
		Name            string       `json:"name" minLength:"1" maxLength:"200" doc:"Campaign name." example:"Outreach Campaign Q1"`
		Message         string       `json:"message,omitempty" maxLength:"10000" doc:"Message text (supports {{firstName}}). Either message or message_variants is required." example:"Hey {{firstName}}, I saw your work and wanted to connect!"`
		MessageVariants []variantIn  `json:"message_variants,omitempty" maxItems:"5" doc:"Message variants for A/B testing (at most 5); leads are spread evenly over them."`
		LeadSourceIDs   []string     `json:"lead_source_ids" minItems:"1" maxItems:"100" nullable:"false" doc:"Lead source ids to target: scraping sources or lead lists. An id that is not the workspace's is a 400 naming lead_source_ids[i]." example:"[\"uuid-1\",\"uuid-2\"]"`
		AccountIDs      []string     `json:"account_ids,omitempty" maxItems:"100" doc:"Account ids to send from; all of the workspace's by default. An id that is not the workspace's is a 400 naming account_ids[i]." example:"[\"550e8400-e29b-41d4-a716-446655440000\"]"`
		Followups       []followupIn `json:"followups,omitempty" maxItems:"10" doc:"Follow-up messages, for every variant that declares none."`
		MaxLeads        int          `json:"max_leads,omitempty" minimum:"0" maximum:"25000" doc:"Maximum leads to target (at most 25,000; 0 or absent: no limit below that of the sources)." example:"1500"`
		EnableFollow    bool         `json:"enable_follow,omitempty" doc:"Follow the lead's profile before the DM." example:"true"`
		EnableLike      bool         `json:"enable_like,omitempty" doc:"Like the lead's recent post before the DM." example:"true"`
		EnableComment   bool         `json:"enable_comment,omitempty" doc:"Comment on the lead's post before the DM." example:"true"`
		CommentTemplate string       `json:"comment_template,omitempty" maxLength:"1000" doc:"Template that guides the AI writing the comments." example:"Great insights on {{topic}}!"`
	}
}

// accountShare is one account's share of a launch.
type accountShare struct {
	AccountID string `json:"account_id" doc:"The sending account's id." example:"550e8400-e29b-41d4-a716-446655440000"`
	Handle    string `json:"handle" doc:"The sending account's handle." example:"account1"`
	Jobs      int    `json:"jobs" doc:"First DMs queued for it." example:"750"`
}

type launchCampaignOutput struct {
	Body struct {
		Success         bool           `json:"success" doc:"Always true." example:"true"`
		CampaignName    string         `json:"campaign_name" doc:"The campaign's name." example:"Outreach Campaign Q1"`
		JobsCreated     int            `json:"jobs_created" doc:"First DMs queued now, one per lead; more are queued as the sources keep more leads." example:"1500"`
		LeadsTargeted   int            `json:"leads_targeted" doc:"Leads targeted so far." example:"1500"`
		MessageVariants int            `json:"message_variants" doc:"How many message variants the campaign sends." example:"2"`
		AccountsUsed    int            `json:"accounts_used" doc:"How many accounts it sends from." example:"2"`
		Distribution    []accountShare `json:"distribution" nullable:"false" doc:"First DMs per sending account."`
	}
}

type listCampaignsInput struct {
	Limit  int `query:"limit" default:"20" minimum:"1" maximum:"100" doc:"Results per page." example:"10"`
	Offset int `query:"offset" default:"0" minimum:"0" doc:"Pagination offset." example:"0"`
}

// campaignSummary is a campaign with its basic figures, over first DMs.
type campaignSummary struct {
	Name      string `json:"name" doc:"Campaign name." example:"Outreach Campaign Q1"`
	Total     int    `json:"total" doc:"Leads targeted." example:"1500"`
	Completed int    `json:"completed" doc:"First DMs sent." example:"1200"`
	Pending   int    `json:"pending" doc:"First DMs waiting to be sent." example:"250"`
	Failed    int    `json:"failed" doc:"First DMs that failed or wait for review." example:"50"`
	Progress  int    `json:"progress" minimum:"0" maximum:"100" doc:"completed as a share of total, in percent." example:"80"`
}

type listCampaignsOutput struct {
	Body struct {
		Campaigns  []campaignSummary `json:"campaigns" nullable:"false" doc:"The page of campaigns, newest first."`
		Pagination offsetPage        `json:"pagination" doc:"Where the page lies."`
	}
}

type analyticsInput struct {
	CampaignName string `query:"campaign_name" maxLength:"200" doc:"Only this campaign's figures (campaigns, campaignSentimentStats, campaignVariantStats); accounts and totals still cover every campaign." example:"Outreach Q1"`
	AccountID    string `query:"account_id" maxLength:"100" doc:"Only this account's figures. An id that is not the workspace's selects nothing." example:"550e8400-e29b-41d4-a716-446655440000"`
}

// sentimentCounts counts replies by sentiment.
type sentimentCounts struct {
	Positive int `json:"positive" doc:"Positive replies." example:"120"`
	Negative int `json:"negative" doc:"Negative replies." example:"15"`
	Neutral  int `json:"neutral" doc:"Neutral replies." example:"45"`
}

// sentimentTotals counts replies by sentiment, with their total.
type sentimentTotals struct {
	Positive int `json:"positive" doc:"Positive replies." example:"100"`
	Negative int `json:"negative" doc:"Negative replies." example:"12"`
	Neutral  int `json:"neutral" doc:"Neutral replies." example:"38"`
	Total    int `json:"total" doc:"Classified replies." example:"150"`
}

// accountAnalytics are one account's figures over every campaign.
type accountAnalytics struct {
	ID              string          `json:"id" doc:"Account id." example:"550e8400-e29b-41d4-a716-446655440000"`
	Handle          string          `json:"handle" doc:"X handle." example:"myhandle"`
	Name            string          `json:"name" doc:"Display name on X; the handle until checked." example:"My Account"`
	ProfileImageURL string          `json:"profile_image_url" doc:"Profile picture URL; empty until checked." example:"https://pbs.twimg.com/..."`
	IsPaused        bool            `json:"is_paused" doc:"Whether DM sending is paused or held for this account." example:"false"`
	DMsSent         int             `json:"dms_sent" doc:"DMs it has sent, follow-ups included." example:"1500"`
	DMsSent24hrs    int             `json:"dms_sent_24hrs" doc:"DMs it sent on its current day: the day its daily cap counts, in the time zone of its active hours (UTC without)." example:"45"`
	Responses       int             `json:"responses" doc:"Leads who replied to its campaigns' DMs." example:"180"`
	ResponseRate    float64         `json:"response_rate" doc:"responses as a share of dms_sent, in percent, one decimal." example:"12"`
	PendingCount    int             `json:"pending_count" doc:"First DMs and follow-ups waiting to be sent." example:"250"`
	Sentiment       sentimentCounts `json:"sentiment" doc:"Replies by the sentiment of the lead's latest classified reply."`
}

// campaignAnalytics are one campaign's figures for one account.
type campaignAnalytics struct {
	AccountID     string  `json:"account_id" doc:"The sending account's id." example:"550e8400-e29b-41d4-a716-446655440000"`
	AccountHandle string  `json:"account_handle" doc:"The sending account's handle." example:"myhandle"`
	CampaignName  string  `json:"campaign_name" doc:"Campaign name." example:"Outreach Q1"`
	Total         int     `json:"total" doc:"Leads given to this account." example:"1500"`
	Completed     int     `json:"completed" doc:"First DMs sent." example:"1200"`
	Pending       int     `json:"pending" doc:"First DMs waiting." example:"250"`
	Failed        int     `json:"failed" doc:"First DMs that failed or wait for review." example:"50"`
	Remaining     int     `json:"remaining" doc:"First DMs still to send (as pending)." example:"250"`
	Progress      int     `json:"progress" minimum:"0" maximum:"100" doc:"completed as a share of total, in percent." example:"80"`
	ReplyCount    int     `json:"reply_count" doc:"Leads who replied." example:"150"`
	ResponseRate  float64 `json:"response_rate" doc:"reply_count as a share of completed, in percent, one decimal." example:"12.5"`
}

// campaignSentiment is one campaign's replies by sentiment, for one account.
type campaignSentiment struct {
	CampaignName string          `json:"campaign_name" doc:"Campaign name." example:"Outreach Q1"`
	AccountID    string          `json:"account_id" doc:"The sending account's id." example:"550e8400-e29b-41d4-a716-446655440000"`
	Sentiment    sentimentTotals `json:"sentiment" doc:"Replies by sentiment; total counts the classified ones."`
	ReplyCount   int             `json:"reply_count" doc:"Leads who replied, classified or not." example:"150"`
}

// variantStats is one variant's A/B figures.
type variantStats struct {
	Message   string  `json:"message" doc:"The variant's message." example:"Hey {{firstName}}, loved your recent post..."`
	Sent      int     `json:"sent" doc:"First DMs sent with it." example:"600"`
	Replied   int     `json:"replied" doc:"Leads who replied to it." example:"90"`
	ReplyRate float64 `json:"reply_rate" doc:"replied as a share of sent, in percent, one decimal." example:"15"`
}

// campaignVariants is one campaign's variants, for one account.
type campaignVariants struct {
	CampaignName string         `json:"campaign_name" doc:"Campaign name." example:"Outreach Q1"`
	AccountID    string         `json:"account_id" doc:"The sending account's id." example:"550e8400-e29b-41d4-a716-446655440000"`
	Variants     []variantStats `json:"variants" nullable:"false" doc:"Per variant, in the campaign's order."`
}

// analyticsTotals sum the accounts' figures.
type analyticsTotals struct {
	DMsSent      int     `json:"dms_sent" doc:"DMs sent by the accounts listed." example:"1500"`
	Responses    int     `json:"responses" doc:"Their responses." example:"180"`
	ResponseRate float64 `json:"response_rate" doc:"responses as a share of dms_sent, in percent, one decimal." example:"12"`
	Positive     int     `json:"positive" doc:"Positive replies." example:"120"`
	Negative     int     `json:"negative" doc:"Negative replies." example:"15"`
	Neutral      int     `json:"neutral" doc:"Neutral replies." example:"45"`
}

type analyticsOutput struct {
	Body analyticsBody
}

// analyticsBody is the answer of get-campaign-analytics.
type analyticsBody struct {
	Accounts               []accountAnalytics  `json:"accounts" nullable:"false" doc:"Per account, over every campaign."`
	Campaigns              []campaignAnalytics `json:"campaigns" nullable:"false" doc:"Per campaign and sending account."`
	CampaignSentimentStats []campaignSentiment `json:"campaignSentimentStats" nullable:"false" doc:"Replies by sentiment per campaign and sending account."`
	CampaignVariantStats   []campaignVariants  `json:"campaignVariantStats" nullable:"false" doc:"A/B figures per campaign and sending account."`
	Totals                 analyticsTotals     `json:"totals" doc:"Sums over the accounts listed."`
}

type campaignRefInput struct {
	Campaign string `path:"campaign" maxLength:"200" doc:"The campaign's id or its name (a name two campaigns share is a 409: use the id)." example:"Outreach Campaign Q1"`
}

// campaignState is a campaign after a pause or a resume.
type campaignState struct {
	ID     string `json:"id" doc:"Campaign id." example:"7f3a1b2c-4d5e-6f7a-8b9c-0d1e2f3a4b5c"`
	Name   string `json:"name" doc:"Campaign name." example:"Outreach Campaign Q1"`
	Paused bool   `json:"paused" doc:"Whether its sends are paused." example:"true"`
}

type campaignStateOutput struct {
	Body struct {
		Success  bool          `json:"success" doc:"Always true." example:"true"`
		Campaign campaignState `json:"campaign" doc:"The campaign as it is now."`
	}
}

// registerCampaigns registers the operations of /campaigns.
func registerCampaigns(api huma.API, svc Service) {
	huma.Register(api, huma.Operation{
		OperationID: "launch-campaign",
		Method:      http.MethodPost,
		Path:        "/campaigns",
		Summary:     "Launch a DM campaign",
		Description: "Launches a DM campaign over lead sources (scraping sources or lead lists), queuing a first DM for every lead " +
			"they have kept so far (more as they keep more), spread evenly over the sending accounts and message variants. " +
			"Messages support {{firstName}}, {{first_name}}, {{name}} and {{username}}; any other placeholder is a 400. " +
			"At most 25,000 leads per campaign. Lead source or account ids that are not the workspace's are a 400 naming the field.",
		Tags: []string{"Campaigns"},
	}, func(ctx context.Context, in *launchCampaignInput) (*launchCampaignOutput, error) {
		b := in.Body
		ci := service.CampaignInput{
			Name: b.Name, Message: b.Message, Followups: followupsFrom(b.Followups), LeadSourceIDs: b.LeadSourceIDs,
			AccountIDs: b.AccountIDs, MaxLeads: b.MaxLeads, Follow: b.EnableFollow, Like: b.EnableLike,
			Comment: b.EnableComment, CommentTemplate: b.CommentTemplate,
		}
		for _, v := range b.MessageVariants {
			ci.Variants = append(ci.Variants, store.Variant{Message: v.Message, Followups: followupsFrom(v.Followups)})
		}
		l, err := svc.LaunchCampaign(ctx, workspaceFrom(ctx), ci)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		out := &launchCampaignOutput{}
		o := &out.Body
		o.Success, o.CampaignName, o.JobsCreated, o.LeadsTargeted = true, l.Campaign.Name, l.Queued, l.Campaign.Assigned
		o.MessageVariants, o.AccountsUsed = len(l.Campaign.Variants), len(l.Campaign.AccountIDs)
		o.Distribution = make([]accountShare, 0, len(l.Distribution))
		for _, d := range l.Distribution {
			o.Distribution = append(o.Distribution, accountShare{AccountID: d.AccountID, Handle: d.Handle, Jobs: d.Jobs})
		}
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "list-campaigns",
		Method:      http.MethodGet,
		Path:        "/campaigns",
		Summary:     "List campaigns",
		Description: "Lists the workspace's campaigns, newest first, with their basic figures over first DMs.",
		Tags:        []string{"Campaigns"},
	}, func(ctx context.Context, in *listCampaignsInput) (*listCampaignsOutput, error) {
		list, total, err := svc.ListCampaigns(ctx, workspaceFrom(ctx), in.Limit, in.Offset)
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		out := &listCampaignsOutput{}
		out.Body.Campaigns = make([]campaignSummary, 0, len(list))
		for _, c := range list {
			out.Body.Campaigns = append(out.Body.Campaigns, campaignSummary{
				Name: c.Name, Total: c.Total, Completed: c.Completed, Pending: c.Pending, Failed: c.Failed, Progress: c.Progress(),
			})
		}
		out.Body.Pagination = offsetPage{Limit: in.Limit, Offset: in.Offset, Count: len(list), Total: total}
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "get-campaign-analytics",
		Method:      http.MethodGet,
		Path:        "/campaigns/analytics",
		Summary:     "Get campaign analytics",
		Description: "Reply rates, sentiment and per-variant A/B figures: per account, per campaign and account, and in total. " +
			"Rates are percentages with one decimal. Sentiment is that of each lead's latest classified reply.",
		Tags: []string{"Campaigns"},
	}, func(ctx context.Context, in *analyticsInput) (*analyticsOutput, error) {
		a, err := svc.Analytics(ctx, workspaceFrom(ctx), service.AnalyticsQuery{CampaignName: in.CampaignName, AccountID: in.AccountID})
		if err != nil {
			return nil, serviceError(ctx, err)
		}
		return analyticsFrom(a), nil
	})

	for _, op := range []struct {
		id, verb, summary, description string
		do                             func(ctx context.Context, ws, ref string) (store.Campaign, error)
	}{
		{"pause-campaign", "pause", "Pause a campaign",
			"Stops a campaign's sends (first DMs and follow-ups) until it is resumed; its queued jobs wait. Pausing a paused campaign changes nothing.",
			svc.PauseCampaign},
		{"resume-campaign", "resume", "Resume a campaign",
			"Lets a paused campaign's jobs go again. Resuming a running campaign changes nothing.",
			svc.ResumeCampaign},
	} {
		huma.Register(api, huma.Operation{
			OperationID: op.id,
			Method:      http.MethodPost,
			Path:        "/campaigns/{campaign}/" + op.verb,
			Summary:     op.summary,
			Description: op.description + " Beyond the hosted API.",
			Tags:        []string{"Campaigns"},
			Responses:   errorResponses(http.StatusConflict),
		}, func(ctx context.Context, in *campaignRefInput) (*campaignStateOutput, error) {
			c, err := op.do(ctx, workspaceFrom(ctx), in.Campaign)
			if err != nil {
				return nil, serviceError(ctx, err)
			}
			out := &campaignStateOutput{}
			out.Body.Success = true
			out.Body.Campaign = campaignState{ID: c.ID, Name: c.Name, Paused: c.Paused}
			return out, nil
		})
	}
}

// analyticsFrom converts the service's figures to the wire type.
func analyticsFrom(a service.Analytics) *analyticsOutput {
	out := &analyticsOutput{}
	b := &out.Body
	b.Accounts = make([]accountAnalytics, 0, len(a.Accounts))
	for _, x := range a.Accounts {
		name := x.DisplayName
		if name == "" {
			name = x.Handle
		}
		b.Accounts = append(b.Accounts, accountAnalytics{
			ID: x.ID, Handle: x.Handle, Name: name, ProfileImageURL: x.ProfileImageURL, IsPaused: x.IsPaused(),
			DMsSent: x.DMsSent, DMsSent24hrs: x.SentToday, Responses: x.Responses, ResponseRate: x.ResponseRate,
			PendingCount: x.Pending, Sentiment: sentimentCounts(x.Sentiment),
		})
	}
	b.Campaigns = make([]campaignAnalytics, 0, len(a.Campaigns))
	b.CampaignSentimentStats = make([]campaignSentiment, 0, len(a.Campaigns))
	b.CampaignVariantStats = make([]campaignVariants, 0, len(a.Campaigns))
	for _, c := range a.Campaigns {
		b.Campaigns = append(b.Campaigns, campaignAnalytics{
			AccountID: c.AccountID, AccountHandle: c.Handle, CampaignName: c.CampaignName, Total: c.Total,
			Completed: c.Completed, Pending: c.Pending, Failed: c.Failed, Remaining: c.Pending, Progress: c.Progress,
			ReplyCount: c.Replies, ResponseRate: c.ResponseRate,
		})
		s := c.Sentiment
		b.CampaignSentimentStats = append(b.CampaignSentimentStats, campaignSentiment{
			CampaignName: c.CampaignName, AccountID: c.AccountID, ReplyCount: c.Replies,
			Sentiment: sentimentTotals{Positive: s.Positive, Negative: s.Negative, Neutral: s.Neutral, Total: s.Total()},
		})
		vs := campaignVariants{CampaignName: c.CampaignName, AccountID: c.AccountID, Variants: make([]variantStats, 0, len(c.Variants))}
		for _, v := range c.Variants {
			vs.Variants = append(vs.Variants, variantStats{Message: v.Message, Sent: v.Sent, Replied: v.Replied, ReplyRate: v.ReplyRate})
		}
		b.CampaignVariantStats = append(b.CampaignVariantStats, vs)
	}
	t := a.Totals
	b.Totals = analyticsTotals{DMsSent: t.DMsSent, Responses: t.Responses, ResponseRate: t.ResponseRate,
		Positive: t.Sentiment.Positive, Negative: t.Sentiment.Negative, Neutral: t.Sentiment.Neutral}
	return out
}
