package hubspot_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hsadmin/hsadmin/hubspot"
	"github.com/hsadmin/hsadmin/hubspot/hubspottest"
)

func TestClientRecordsOfEveryType(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Companies: 230, Deals: 120, Tickets: 90, CustomRecords: 40})
	c := sb.client()
	ctx := context.Background()
	custom := hubspot.ObjectType(sb.CustomObjectTypeID())
	for typ, want := range map[hubspot.ObjectType]int{hubspot.ObjectCompanies: 230, hubspot.ObjectDeals: 120, hubspot.ObjectTickets: 90, custom: 40} {
		recs := collect(t, c.Records(ctx, typ, []string{"hubspot_owner_id", "hs_lastmodifieddate"}))
		if len(recs) != want {
			t.Fatalf("%s: %d records, want %d", typ, len(recs), want)
		}
		for k, r := range recs {
			if r.Type != typ || r.ID == "" || r.Properties["hs_lastmodifieddate"] == "" {
				t.Fatalf("%s record %d: %+v", typ, k, r)
			}
		}
		got, err := c.GetRecord(ctx, typ, recs[7].ID, []string{hubspot.DisplayProperty(typ), "project_name"})
		if err != nil || got.ID != recs[7].ID || got.Type != typ || len(got.Properties) == 0 {
			t.Fatalf("%s GetRecord: %+v, %v", typ, got, err)
		}
	}
	if _, err := c.GetRecord(ctx, "deals/../contacts", "1", nil); err == nil {
		t.Fatal("an object type with a slash was sent")
	}
}

func TestClientRecordBatchesAndOwnerChecks(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{})
	c := sb.client()
	ctx := context.Background()
	f := sb.Fixtures()
	c0, _ := sb.ObjectRecordAt("companies", 0)
	c1, _ := sb.ObjectRecordAt("companies", 1)

	res, err := c.BatchReadRecords(ctx, hubspot.ObjectCompanies, []hubspot.RecordID{hubspot.RecordID(c0.ID), "12", hubspot.RecordID(c1.ID)}, []string{"account_team"})
	if err != nil || len(res.Results) != 2 || !slices.Equal(res.FailedIDs(), []string{"12"}) {
		t.Fatalf("batch read: %+v, %v", res, err)
	}

	bad := []hubspot.RecordInput{{ID: hubspot.RecordID(c0.ID), Properties: hubspot.Properties{"account_team": string(f.ActiveOwner) + ";" + string(f.ArchivedOwner)}}}
	_, err = c.BatchUpdateRecords(ctx, hubspot.ObjectCompanies, bad)
	var apiErr *hubspot.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Category != "VALIDATION_ERROR" {
		t.Fatalf("archived owner inside a multi-select: %v", err)
	}

	team := string(f.ActiveOwner) + ";" + string(f.QueueOwner)
	res, err = c.BatchUpdateRecords(ctx, hubspot.ObjectCompanies, []hubspot.RecordInput{
		{ID: hubspot.RecordID(c0.ID), Properties: hubspot.Properties{"account_team": team}},
		{ID: "99", Properties: hubspot.Properties{"name": "x"}},
	})
	if err != nil || len(res.Results) != 1 || res.Results[0].Properties["account_team"] != team || res.Results[0].Type != hubspot.ObjectCompanies || !slices.Equal(res.FailedIDs(), []string{"99"}) {
		t.Fatalf("batch update: %+v, %v", res, err)
	}

	ro := sb.client(hubspot.WithReadOnly())
	before := len(sb.WriteRequests())
	if _, err := ro.BatchUpdateRecords(ctx, hubspot.ObjectDeals, []hubspot.RecordInput{{ID: "1", Properties: hubspot.Properties{"dealname": "x"}}}); !errors.Is(err, hubspot.ErrReadOnly) {
		t.Fatalf("read-only batch update: %v", err)
	}
	if _, err := ro.BatchReadRecords(ctx, hubspot.ObjectDeals, []hubspot.RecordID{"1"}, nil); err != nil {
		t.Fatalf("read-only batch read: %v", err)
	}
	if len(sb.WriteRequests()) != before {
		t.Fatal("a read-only client sent a write")
	}
}

func TestClientSearchRecordsIncrementally(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Deals: 900})
	c := sb.client()
	ctx := context.Background()
	mid, _ := sb.ObjectRecordAt("deals", 450)
	since := strconv.FormatInt(mid.UpdatedAt.UnixMilli(), 10)
	want := 0
	for i := 0; i < sb.ObjectCount("deals"); i++ {
		if r, _ := sb.ObjectRecordAt("deals", i); r.UpdatedAt.UnixMilli() >= mid.UpdatedAt.UnixMilli() {
			want++
		}
	}
	req := hubspot.SearchRequest{
		FilterGroups: []hubspot.FilterGroup{{Filters: []hubspot.Filter{{PropertyName: hubspot.LastModifiedProperty(hubspot.ObjectDeals), Operator: "GTE", Value: since}}}},
		Sorts:        []hubspot.Sort{{PropertyName: hubspot.PropLastModified, Direction: "ASCENDING"}},
		Properties:   []string{"hubspot_owner_id", "secondary_owner"},
		Limit:        200,
	}
	var got []hubspot.Record
	for {
		page, err := c.SearchRecords(ctx, hubspot.ObjectDeals, req)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, page.Results...)
		if page.Total != want {
			t.Fatalf("total %d, want %d", page.Total, want)
		}
		if page.NextAfter == "" {
			break
		}
		req.After = page.NextAfter
	}
	if len(got) != want || got[0].Type != hubspot.ObjectDeals {
		t.Fatalf("%d results, want %d", len(got), want)
	}
	req.After = "10000"
	if _, err := c.SearchRecords(ctx, hubspot.ObjectDeals, req); err == nil {
		t.Fatal("paging past 10,000 was sent")
	}
}

func TestClientRecordsSurviveServerErrors(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Tickets: 1500})
	sb.SetFaults(hubspottest.Faults{Seed: 3, ServerErrors: 0.4})
	c := sb.client(hubspot.WithRetry(8), hubspot.WithSleep(func(context.Context, time.Duration) error { return nil }))
	recs := collect(t, c.Records(context.Background(), hubspot.ObjectTickets, nil))
	if len(recs) != 1500 || sb.InjectedFaults().ServerErrors == 0 {
		t.Fatalf("%d tickets after %d injected errors", len(recs), sb.InjectedFaults().ServerErrors)
	}
}

func TestClientOwnerPropertiesSchemasAndPipelines(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{})
	c := sb.client()
	ctx := context.Background()
	custom := hubspot.ObjectType(sb.CustomObjectTypeID())
	for typ, want := range map[hubspot.ObjectType][]hubspot.OwnerProperty{
		hubspot.ObjectContacts:  {{Name: "hubspot_owner_id", Label: "Contact owner", HubSpotDefined: true}, {Name: "customer_success_manager", Label: "Customer success manager"}, {Name: "support_team", Label: "Support team", Multi: true}},
		hubspot.ObjectCompanies: {{Name: "hubspot_owner_id", Label: "Owner", HubSpotDefined: true}, {Name: "account_team", Label: "Account team", Multi: true}},
		hubspot.ObjectDeals:     {{Name: "hubspot_owner_id", Label: "Owner", HubSpotDefined: true}, {Name: "secondary_owner", Label: "Secondary owner"}},
		custom:                  {{Name: "hubspot_owner_id", Label: "Owner", HubSpotDefined: true}, {Name: "implementation_lead", Label: "Implementation lead"}},
	} {
		got, err := c.OwnerProperties(ctx, typ)
		if err != nil || !slices.Equal(got, want) {
			t.Errorf("%s owner properties: %+v, %v; want %+v", typ, got, err, want)
		}
	}

	schemas, err := c.Schemas(ctx)
	if err != nil || len(schemas) != 1 || schemas[0].ObjectTypeID != custom || schemas[0].PrimaryDisplayProperty != "project_name" || schemas[0].Labels.Plural != "Projects" {
		t.Fatalf("schemas: %+v, %v", schemas, err)
	}
	if owners := hubspot.OwnerPropertiesOf(schemas[0].Properties); len(owners) != 2 {
		t.Fatalf("schema owner properties: %+v", owners)
	}

	deals, err := c.Pipelines(ctx, hubspot.ObjectDeals)
	if err != nil {
		t.Fatal(err)
	}
	closed := hubspot.ClosedStages(deals)
	if !closed["closedwon"] || !closed["closedlost"] || closed["contractsent"] || len(closed) != 4 {
		t.Fatalf("closed deal stages: %v", closed)
	}
	if p, ok := deals[0].Stages[0].Probability(); !ok || p != 0.2 {
		t.Fatalf("probability %v %v", p, ok)
	}
	tickets, err := c.Pipelines(ctx, hubspot.ObjectTickets)
	if err != nil || !hubspot.ClosedStages(tickets)["4"] || hubspot.ClosedStages(tickets)["1"] {
		t.Fatalf("ticket pipelines: %+v, %v", tickets, err)
	}

	noSchemas := sb.client(hubspot.WithAccessToken(sb.IssueToken("crm.objects.deals.read")))
	if _, err := noSchemas.Schemas(ctx); err == nil {
		t.Fatal("schemas read without crm.schemas.custom.read")
	} else if scopes, ok := hubspot.MissingScopes(err); !ok || !slices.Contains(scopes, "crm.schemas.custom.read") {
		t.Fatalf("missing scopes: %v %v", scopes, err)
	}
}

func TestClientAssociations(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{Companies: 3, Deals: 2000})
	c := sb.client()
	ctx := context.Background()
	co, _ := sb.ObjectRecordAt("companies", 1)
	deals := collect(t, c.Associations(ctx, hubspot.ObjectCompanies, hubspot.RecordID(co.ID), hubspot.ObjectDeals))
	if len(deals) <= 500 { // more than one page of 500
		t.Fatalf("%d deals, want more than a page", len(deals))
	}
	for _, d := range deals[:5] {
		back := collect(t, c.Associations(ctx, hubspot.ObjectDeals, d.ToObjectID, hubspot.ObjectCompanies))
		if len(back) != 1 || string(back[0].ToObjectID) != co.ID {
			t.Fatalf("deal %s → %+v", d.ToObjectID, back)
		}
		if !slices.ContainsFunc(back[0].Types, func(at hubspot.AssociationType) bool { return at.TypeID == 5 && at.Label == "Primary" }) {
			t.Fatalf("no primary type: %+v", back[0].Types)
		}
	}
	batch, err := c.BatchReadAssociations(ctx, hubspot.ObjectCompanies, hubspot.ObjectDeals, []hubspot.RecordID{hubspot.RecordID(co.ID), "4"})
	if err != nil || len(batch.Results) != 1 || !batch.Results[0].More || len(batch.Results[0].To) != 500 || len(batch.Errors) != 1 || !slices.Equal(batch.Errors[0].IDs, []string{"4"}) {
		t.Fatalf("batch: %d results, %+v, %v", len(batch.Results), batch.Errors, err)
	}
}

func TestClientTypeTheTokenCannotRead(t *testing.T) {
	sb := newSandbox(t, hubspottest.Config{})
	c := sb.client(hubspot.WithAccessToken(sb.IssueToken("crm.objects.companies.read", "crm.objects.deals.read")))
	ctx := context.Background()
	var firstErr error
	for _, err := range c.Records(ctx, hubspot.ObjectTickets, nil) {
		firstErr = err
		break
	}
	if scopes, ok := hubspot.MissingScopes(firstErr); !ok || !slices.Equal(scopes, []string{"tickets"}) {
		t.Fatalf("tickets without the tickets scope: %v", firstErr)
	}
	if _, err := c.OwnerProperties(ctx, hubspot.ObjectCompanies); err != nil {
		t.Fatalf("a type's read scope also reads its properties: %v", err)
	}
	if _, err := c.BatchReadAssociations(ctx, hubspot.ObjectCompanies, hubspot.ObjectContacts, []hubspot.RecordID{"1"}); err == nil {
		t.Fatal("associations to contacts read without a contacts scope")
	}
}
