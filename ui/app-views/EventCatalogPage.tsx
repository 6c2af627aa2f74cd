import { useState } from 'react';
import { Badge } from '../shared/components/Badge.js';
import { CodeBlock } from '../shared/components/CodeBlock.js';
import { TextField } from '../shared/components/Field.js';
import { EmptyState } from '../shared/components/Loading.js';
import { PageHeader } from '../shared/components/PageHeader.js';
import { QueryView } from '../shared/components/QueryView.js';
import { currentSchema, type EventType } from './event-type-schema.js';
import { groupEventTypes } from './event-type-groups.js';
import { useEventTypes } from './use-event-types.js';

/** The event types that can be subscribed to, with what their payloads look like. */
export function EventCatalogPage() {
  const eventTypes = useEventTypes();
  const [search, setSearch] = useState('');

  return (
    <>
      <PageHeader
        title="Event catalog"
        description="Every event type you can subscribe an endpoint to, with its JSON Schema and an example payload."
      />
      {eventTypes.data && eventTypes.data.length > 0 ? (
        <div className="filters">
          <TextField
            label="Search event types"
            type="search"
            value={search}
            placeholder="e.g. invoice"
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
      ) : null}
      <QueryView
        query={eventTypes}
        loadingLabel="Loading the event catalog…"
        isEmpty={(types) => types.length === 0}
        empty={
          <EmptyState title="No event types yet">
            <p>Once event types are defined, they are listed here with their schemas and examples.</p>
          </EmptyState>
        }
      >
        {(types) => <CatalogGroups types={types} search={search} />}
      </QueryView>
    </>
  );
}

/** The types whose name or description holds `search`, grouped by prefix. */
function CatalogGroups({ types, search }: { types: EventType[]; search: string }) {
  const needle = search.trim().toLowerCase();
  const shown = needle
    ? types.filter((t) => t.name.toLowerCase().includes(needle) || t.description.toLowerCase().includes(needle))
    : types;
  const groups = groupEventTypes(shown);
  if (groups.length === 0)
    return (
      <EmptyState title="No event types match">
        <p>Nothing in the catalog matches “{search}”.</p>
      </EmptyState>
    );
  return (
    <div className="stack">
      {groups.map((group) => (
        <section key={group.prefix} className="catalog-group" aria-labelledby={`group-${group.prefix}`}>
          <h2 id={`group-${group.prefix}`} className="catalog-group-title">
            {group.prefix}
          </h2>
          <div className="stack">
            {group.types.map((type) => (
              <EventTypeEntry key={type.name} type={type} />
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}

function EventTypeEntry({ type }: { type: EventType }) {
  const schema = currentSchema(type);
  return (
    <article className="card catalog-entry">
      <div className="row">
        <h3 className="mono catalog-name">{type.name}</h3>
        {type.deprecated ? <Badge tone="warning">Deprecated</Badge> : null}
        {schema ? <Badge>Schema v{schema.version}</Badge> : null}
      </div>
      <p>{type.description || <span className="muted">No description.</span>}</p>
      {schema ? (
        <div className="grid-2">
          <CodeBlock label="Schema" value={schema.schema} maxHeight={320} />
          {schema.examples.length > 0 ? (
            <CodeBlock label="Example" value={schema.examples[0]} maxHeight={320} />
          ) : (
            <p className="muted small">No example payload.</p>
          )}
        </div>
      ) : (
        <p className="muted small">No schema: payloads of this type are not described.</p>
      )}
    </article>
  );
}
