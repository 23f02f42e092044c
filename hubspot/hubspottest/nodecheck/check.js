// Runs HubSpot's official Node client (@hubspot/api-client) against a
// sandbox: companies, deals, tickets, the custom object, contacts' custom
// owner properties, properties, schemas, pipelines and associations v4. Started by nodecheck_test.go with
// HUBSPOT_BASE_URL, HUBSPOT_TOKEN and the owner IDs to use; exits non-zero
// on the first check that fails.
'use strict';
const hubspot = require('@hubspot/api-client');

const env = (name) => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const client = new hubspot.Client({ accessToken: env('HUBSPOT_TOKEN'), basePath: env('HUBSPOT_BASE_URL'), numberOfApiCallRetries: 0 });
const activeOwner = env('ACTIVE_OWNER');
const archivedOwner = env('ARCHIVED_OWNER');
const customType = env('CUSTOM_TYPE');

let checks = 0;
function check(cond, what, detail) {
  checks++;
  if (!cond) throw new Error(`${what}${detail === undefined ? '' : ': ' + JSON.stringify(detail).slice(0, 400)}`);
}

async function expectStatus(promise, status, what) {
  try {
    await promise;
  } catch (e) {
    check(e.code === status, `${what}: status ${e.code}, want ${status}`, e.body);
    return e;
  }
  check(false, `${what}: succeeded, want ${status}`);
}

async function companies() {
  const api = client.crm.companies;
  const first = await api.basicApi.getPage(10, undefined, ['name', 'hubspot_owner_id', 'account_team']);
  check(first.results.length === 10 && first.paging && first.paging.next.after, 'companies page', first);
  const second = await api.basicApi.getPage(10, first.paging.next.after, ['name']);
  check(BigInt(second.results[0].id) > BigInt(first.results[9].id), 'companies second page follows the first');
  const one = await api.basicApi.getById(first.results[0].id, ['name', 'account_team']);
  check(one.properties.name && one.createdAt instanceof Date, 'company by id', one);

  const read = await api.batchApi.read({ inputs: [{ id: first.results[1].id }, { id: '1' }], properties: ['name'], propertiesWithHistory: [] });
  check(read.results.length === 1 && read.errors && read.errors[0].category === 'OBJECT_NOT_FOUND', 'companies batch read 207', read);

  const team = `${activeOwner}`;
  const upd = await api.batchApi.update({ inputs: [{ id: first.results[0].id, properties: { account_team: team } }] });
  check(upd.results[0].properties.account_team === team, 'companies batch update', upd);
  const bad = await expectStatus(api.batchApi.update({ inputs: [{ id: first.results[0].id, properties: { account_team: `${activeOwner};${archivedOwner}` } }] }), 400, 'archived owner in a multi-select');
  check(JSON.stringify(bad.body).includes('INVALID_OWNER_ID'), 'the 400 names INVALID_OWNER_ID', bad.body);

  const since = Date.now() - 3600 * 1000;
  const found = await api.searchApi.doSearch({
    filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(since) }] }],
    sorts: ['hs_lastmodifieddate'], properties: ['account_team'], limit: 100, after: '0',
  });
  check(found.total >= 1 && found.results.some((r) => r.id === first.results[0].id), 'companies search by hs_lastmodifieddate', found);
}

async function deals() {
  const api = client.crm.deals;
  const page = await api.basicApi.getPage(5, undefined, ['dealname', 'dealstage', 'hs_is_closed', 'secondary_owner']);
  check(page.results.length === 5 && page.results[0].properties.dealname, 'deals page', page);
  const owned = await api.searchApi.doSearch({
    filterGroups: [{ filters: [{ propertyName: 'hubspot_owner_id', operator: 'EQ', value: activeOwner }] }],
    properties: ['hubspot_owner_id'], limit: 200,
  });
  check(owned.total > 0 && owned.results.every((r) => r.properties.hubspot_owner_id === activeOwner), 'deals search by owner', owned);
  await expectStatus(api.basicApi.update(page.results[0].id, { properties: { secondary_owner: archivedOwner } }), 400, 'archived secondary owner');
  const ok = await api.basicApi.update(page.results[0].id, { properties: { secondary_owner: activeOwner } });
  check(ok.properties.secondary_owner === activeOwner, 'deal secondary owner set', ok);
  const pipelines = await client.crm.pipelines.pipelinesApi.getAll('deals');
  check(pipelines.results.some((p) => p.stages.some((s) => s.metadata.isClosed === 'true')), 'closed deal stages', pipelines);
}

async function tickets() {
  const api = client.crm.tickets;
  const page = await api.basicApi.getPage(5, undefined, ['subject', 'hs_pipeline_stage']);
  check(page.results.length === 5 && page.results[0].properties.subject, 'tickets page', page);
  const one = await api.basicApi.getById(page.results[2].id, ['subject']);
  check(one.id === page.results[2].id, 'ticket by id', one);
  const pipelines = await client.crm.pipelines.pipelinesApi.getAll('tickets');
  check(pipelines.results[0].stages.some((s) => s.metadata.ticketState === 'CLOSED'), 'closed ticket stage', pipelines);
}

async function customObjects() {
  const schemas = await client.crm.schemas.coreApi.getAll();
  const schema = schemas.results.find((s) => s.objectTypeId === customType);
  check(schema && schema.primaryDisplayProperty === 'project_name' && schema.labels.plural === 'Projects', 'custom object schema', schemas);
  const page = await client.crm.objects.basicApi.getPage(customType, 5, undefined, [schema.primaryDisplayProperty, 'implementation_lead']);
  check(page.results.length === 5 && page.results[0].properties.project_name, 'custom object records', page);
}

async function contactOwnerProperties() {
  const api = client.crm.contacts;
  const all = await client.crm.properties.coreApi.getAll('contacts');
  for (const [name, fieldType] of [['customer_success_manager', 'select'], ['support_team', 'checkbox']]) {
    const p = all.results.find((x) => x.name === name);
    check(p && p.referencedObjectType === 'OWNER' && p.fieldType === fieldType && p.hubspotDefined === false, `contacts.${name} is a custom owner property`, p);
  }
  const page = await api.basicApi.getPage(10, undefined, ['email', 'customer_success_manager', 'support_team']);
  const shared = page.results.find((c) => (c.properties.support_team || '').split(';').length === 2);
  check(shared, 'a contact whose support team holds two owners', page);
  const upd = await api.batchApi.update({ inputs: [{ id: shared.id, properties: { support_team: activeOwner, customer_success_manager: '' } }] });
  check(upd.results[0].properties.support_team === activeOwner && !upd.results[0].properties.customer_success_manager, 'contact owner properties updated and cleared', upd);
  const bad = await expectStatus(api.basicApi.update(shared.id, { properties: { support_team: `${activeOwner};${archivedOwner}` } }), 400, 'archived owner in a contact multi-select');
  check(JSON.stringify(bad.body).includes('INVALID_OWNER_ID'), 'the 400 names INVALID_OWNER_ID', bad.body);
  const found = await api.searchApi.doSearch({
    filterGroups: [{ filters: [{ propertyName: 'support_team', operator: 'HAS_PROPERTY' }] }],
    properties: ['support_team'], limit: 100, after: '0',
  });
  check(found.total > 0 && found.results.every((c) => c.properties.support_team), 'contacts search by a custom owner property', found);
}

async function properties() {
  for (const [type, name, fieldType] of [['deals', 'secondary_owner', 'select'], ['companies', 'account_team', 'checkbox'], ['contacts', 'hubspot_owner_id', 'select']]) {
    const all = await client.crm.properties.coreApi.getAll(type);
    const p = all.results.find((x) => x.name === name);
    check(p && p.referencedObjectType === 'OWNER' && p.fieldType === fieldType && p.type === 'enumeration', `${type}.${name} is an owner property`, p);
  }
  const one = await client.crm.properties.coreApi.getByName('deals', 'hubspot_owner_id');
  check(one.hubspotDefined === true && one.referencedObjectType === 'OWNER', 'hubspot_owner_id by name', one);
}

async function associations() {
  const company = (await client.crm.companies.basicApi.getPage(1)).results[0];
  const deals = await client.crm.associations.v4.basicApi.getPage('companies', company.id, 'deals', undefined, 500);
  check(deals.results.length > 0 && deals.results[0].associationTypes.some((t) => t.typeId === 342), 'company → deals', deals);
  const batch = await client.crm.associations.v4.batchApi.getPage('companies', 'contacts', { inputs: [{ id: company.id }, { id: '3' }] });
  check(batch.results.length === 1 && batch.results[0].to.length > 0 && batch.errors.length === 1, 'company → contacts batch read', batch);
}

(async () => {
  for (const step of [companies, deals, tickets, customObjects, contactOwnerProperties, properties, associations]) {
    await step();
  }
  console.log(`nodecheck: ${checks} checks passed`);
})().catch((e) => {
  console.error(`nodecheck FAILED: ${e.message}`);
  process.exit(1);
});
