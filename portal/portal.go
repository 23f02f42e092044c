// Package portal is what an administrator does to one HubSpot portal: keep
// a local mirror of it in sync, read people and contacts from the mirror,
// resolve pasted IDs and list findings. It uses hubspot and store and knows
// nothing about the console.
package portal

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/store"
)

// Config says which portal to open and where its local files live.
type Config struct {
	Client  *hubspot.Client
	DataDir string // "" means store.DefaultDataDir()
	Name    string // the portal's name in the config file, for display
	BaseURL string
	Sandbox bool
	// ReadOnly portals are never written to; the flag is carried for the
	// console and the writing operations of later issues.
	ReadOnly bool
	// HubID is the portal's ID when known (the sandbox, the config file).
	// When 0, Open asks HubSpot about AccessToken to learn it.
	HubID       int64
	AccessToken string // only used to discover HubID; never stored
	// DirKey names the portal's local directory when the hub ID cannot be
	// learned (a private app token, which HubSpot's token endpoint does not
	// describe). It must be stable for the portal and never be a secret.
	DirKey string
	// Scopes the token was granted, when known (introspected at sign-in or
	// issued by the sandbox). nil means unknown: actions are offered and
	// HubSpot's 403 names what is missing.
	Scopes []string
	// PageSizes from the config file; zero fields mean HubSpot's maximum.
	PageSizes PageSizes
}

// PageSizes are how many records each kind of request asks for. Smaller
// pages spend more of the rate budget but keep each request short, which
// helps on slow links; zero means the largest HubSpot allows.
type PageSizes struct {
	Contacts int // contacts list, 1..100
	Search   int // CRM search, 1..200
	Batch    int // contacts per batch update, 1..100
}

// pageSize is size when it is within 1..max, else max.
func pageSize(size, ceiling int) int {
	if size <= 0 || size > ceiling {
		return ceiling
	}
	return size
}

// Info describes the open portal.
type Info struct {
	HubID    int64
	Name     string
	BaseURL  string
	Sandbox  bool
	ReadOnly bool
	Dir      string   // where the mirror and journal live
	Scopes   []string // granted scopes; nil when unknown
}

// MissingScope says why an action needing scope cannot run, or "" when it
// can (or when the granted scopes are unknown).
func (i Info) MissingScope(scope string) string {
	if i.Scopes == nil || slices.Contains(i.Scopes, scope) {
		return ""
	}
	return "the token lacks the " + scope + " scope"
}

// Portal is one open portal: its client, mirror and journal.
type Portal struct {
	pages   PageSizes
	client  *hubspot.Client
	mirror  *store.Mirror
	journal *store.Journal
	info    Info
}

// Open discovers the portal's hub ID, then opens its mirror and journal
// under DataDir. notice is non-empty when the mirror had to be rebuilt or
// is opened without HubSpot; the caller shows it. Without the network, a
// portal whose mirror exists opens; one without a mirror is an error
// wrapping store.ErrNoMirror.
func Open(ctx context.Context, cfg Config) (p *Portal, notice string, err error) {
	if cfg.Client == nil {
		return nil, "", errors.New("portal: no HubSpot client configured")
	}
	dataDir := cfg.DataDir
	if dataDir == "" {
		if dataDir, err = store.DefaultDataDir(); err != nil {
			return nil, "", err
		}
	}
	hubID, introspected, offline, err := cfg.discoverHubID(ctx, dataDir)
	if err != nil {
		return nil, "", err
	}
	dir := store.PortalDir(dataDir, hubID)
	if hubID == 0 {
		dir = store.PortalDirByKey(dataDir, cfg.DirKey)
	}
	if offline != nil {
		if !store.HasMirror(dir) {
			return nil, "", fmt.Errorf("cannot learn the portal's hub ID from HubSpot: %w (%w)", offline, store.ErrNoMirror)
		}
		notice = "HubSpot cannot be reached to identify this token's portal: working from its local mirror"
	}
	// The journal first: it must exist whatever happens to the mirror.
	journal, err := store.OpenJournal(ctx, dir)
	if err != nil {
		return nil, "", err
	}
	mirror, rebuilt, err := store.OpenMirror(ctx, dir)
	if err != nil {
		journal.Close()
		return nil, "", err
	}
	if rebuilt != "" {
		notice = strings.TrimPrefix(notice+"; "+rebuilt, "; ")
	}
	scopes := cfg.Scopes
	if scopes == nil {
		scopes = introspected // an env token's, learnt with its hub
	}
	return &Portal{
		pages:   cfg.PageSizes,
		client:  cfg.Client,
		mirror:  mirror,
		journal: journal,
		info: Info{
			HubID: hubID, Name: cfg.Name, BaseURL: cfg.BaseURL,
			Sandbox: cfg.Sandbox, ReadOnly: cfg.ReadOnly, Dir: dir,
			Scopes: scopes,
		},
	}, notice, nil
}

// discoverHubID is the portal's hub ID: the configured one, else the one
// HubSpot gives for the access token, with the token's scopes. It is 0 for
// a token HubSpot cannot introspect, whose mirror lives under DirKey.
// offline is the network failure when HubSpot could not be asked and the
// hub was taken from an earlier start's note instead.
func (cfg Config) discoverHubID(ctx context.Context, dataDir string) (hubID int64, scopes []string, offline, err error) {
	if cfg.HubID != 0 || strings.TrimSpace(cfg.AccessToken) == "" {
		if cfg.HubID == 0 && cfg.DirKey == "" {
			return 0, nil, nil, errors.New("cannot tell which portal this is: give its hub ID or an access token")
		}
		return cfg.HubID, nil, nil, nil
	}
	info, err := cfg.Client.TokenInfo(ctx, cfg.AccessToken)
	var netErr *hubspot.NetworkError
	switch {
	case err == nil:
		if cfg.DirKey != "" {
			// Only a start without the network needs the note: failing to
			// write it costs nothing now.
			_ = store.RememberHubID(dataDir, cfg.DirKey, info.HubID)
		}
		return info.HubID, info.Scopes, nil, nil
	case cfg.DirKey != "" && (hubspot.IsNotFound(err) || isBadRequest(err)):
		return 0, nil, nil, nil
	case cfg.DirKey != "" && errors.As(err, &netErr):
		hub, _ := store.RecallHubID(dataDir, cfg.DirKey) // 0: try the key's own directory
		return hub, nil, err, nil
	}
	return 0, nil, nil, fmt.Errorf("cannot learn the portal's hub ID from HubSpot: %w", err)
}

// Close closes the mirror and the journal.
func (p *Portal) Close() error {
	return errors.Join(p.mirror.Close(), p.journal.Close())
}

// Info describes the portal.
func (p *Portal) Info() Info { return p.info }

// Client is the portal's HubSpot client.
func (p *Portal) Client() *hubspot.Client { return p.client }

// Mirror is the portal's local mirror.
func (p *Portal) Mirror() *store.Mirror { return p.mirror }

// Journal is the portal's journal of writes.
func (p *Portal) Journal() *store.Journal { return p.journal }

// Users lists Settings users from the mirror.
func (p *Portal) Users(ctx context.Context, q store.Query) ([]store.UserRow, error) {
	return p.mirror.Users(ctx, q)
}

// Owners lists owners, active and archived, from the mirror.
func (p *Portal) Owners(ctx context.Context, q store.Query) ([]store.OwnerRow, error) {
	return p.mirror.Owners(ctx, q)
}

// Contacts lists contacts from the mirror.
func (p *Portal) Contacts(ctx context.Context, q store.Query) ([]store.ContactRow, error) {
	return p.mirror.Contacts(ctx, q)
}

// CountContacts counts the contacts Contacts would list without paging.
func (p *Portal) CountContacts(ctx context.Context, q store.Query) (int, error) {
	return p.mirror.CountContacts(ctx, q)
}

// IDCardForUser describes a person by user ID; store.ErrNotFound when the
// mirror does not know it.
func (p *Portal) IDCardForUser(ctx context.Context, id hubspot.UserID) (store.IDCard, error) {
	return p.mirror.IDCardForUser(ctx, id)
}

// IDCardForOwner describes a person or queue by owner ID; store.ErrNotFound
// when the mirror does not know it.
func (p *Portal) IDCardForOwner(ctx context.Context, id hubspot.OwnerID) (store.IDCard, error) {
	return p.mirror.IDCardForOwner(ctx, id)
}

// LastSync is when contacts were last synced; zero when never.
func (p *Portal) LastSync(ctx context.Context) (time.Time, error) {
	return p.mirror.LastSync(ctx)
}

// Counts says how much the mirror holds.
func (p *Portal) Counts(ctx context.Context) (store.Counts, error) {
	return p.mirror.Counts(ctx)
}

// RecordCounts counts the mirror's records of every type beyond contacts.
func (p *Portal) RecordCounts(ctx context.Context) ([]store.TypeCount, error) {
	return p.mirror.RecordCounts(ctx)
}

// Resolution, Match, Finding and FindingRecord are the store's: the ID map
// and findings are queries over the mirror.
type (
	Resolution    = store.Resolution
	Match         = store.Match
	Finding       = store.Finding
	FindingRecord = store.FindingRecord
)

// Resolve says what a pasted value is: an owner ID, user ID, CRM user record
// ID, hs_internal_user_id or email, and whose. A value meaning different
// people in different schemes is Ambiguous. Unknown values give no matches
// and no error.
func (p *Portal) Resolve(ctx context.Context, input string) (Resolution, error) {
	return p.mirror.Resolve(ctx, input)
}

// Findings lists every finding kind with its count and records.
func (p *Portal) Findings(ctx context.Context) ([]Finding, error) {
	return p.mirror.Findings(ctx)
}

// isBadRequest is HubSpot's answer when the token endpoint is asked about a
// token it did not issue (private app tokens, service keys).
func isBadRequest(err error) bool {
	var apiErr *hubspot.APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == 400
}
