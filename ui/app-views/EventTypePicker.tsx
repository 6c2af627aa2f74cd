import { useId } from 'react';
import { ErrorState } from '../shared/components/ErrorState.js';
import { Loading } from '../shared/components/Loading.js';
import { groupEventTypes } from './event-type-groups.js';
import { useEventTypes } from './use-event-types.js';

/**
 * The endpoint's event filter: one checkbox per catalog event type, grouped by prefix. Nothing
 * checked means every event type. Names the endpoint filters on that left the catalog stay
 * listed, so saving the form never drops them without the person seeing it.
 */
export function EventTypePicker({
  selected,
  onChange,
  error,
}: {
  selected: string[];
  onChange: (next: string[]) => void;
  error?: string;
}) {
  const eventTypes = useEventTypes();
  const hintId = useId();
  const errorId = useId();
  const chosen = new Set(selected);
  const toggle = (name: string, on: boolean) => onChange(on ? [...selected, name] : selected.filter((n) => n !== name));

  let body: React.ReactNode;
  if (eventTypes.isPending) body = <Loading label="Loading event types…" />;
  else if (eventTypes.isError)
    body = (
      <ErrorState
        error={eventTypes.error}
        onRetry={() => eventTypes.refetch()}
        title="Event types could not be loaded"
      />
    );
  else {
    const known = new Set(eventTypes.data.map((t) => t.name));
    const missing = selected
      .filter((name) => !known.has(name))
      .map((name) => ({ name, description: 'No longer in the event catalog.' }));
    const groups = groupEventTypes([...eventTypes.data, ...missing]);
    body =
      groups.length === 0 ? (
        <p className="muted">The event catalog is empty, so this endpoint will receive every message.</p>
      ) : (
        <div className="picker-groups">
          {groups.map((group) => (
            <fieldset key={group.prefix} className="picker-group">
              <legend>{group.prefix}</legend>
              {group.types.map((type) => (
                <EventTypeOption
                  key={type.name}
                  name={type.name}
                  description={type.description}
                  checked={chosen.has(type.name)}
                  onChange={(on) => toggle(type.name, on)}
                />
              ))}
            </fieldset>
          ))}
        </div>
      );
  }

  return (
    <fieldset
      className={error ? 'fieldset field-invalid' : 'fieldset'}
      aria-describedby={[hintId, error ? errorId : ''].filter(Boolean).join(' ')}
    >
      <legend className="field-label">Event types</legend>
      <p id={hintId} className="field-hint">
        {selected.length === 0
          ? 'None selected: this endpoint receives every event type.'
          : `${selected.length} selected: only these are delivered.`}
        {selected.length > 0 ? (
          <>
            {' '}
            <button type="button" className="link-button" onClick={() => onChange([])}>
              Clear selection
            </button>
          </>
        ) : null}
      </p>
      {body}
      {error ? (
        <div id={errorId} className="field-error" role="alert">
          {error}
        </div>
      ) : null}
    </fieldset>
  );
}

/** One checkbox, named by the event type alone; its description is read as the description. */
function EventTypeOption({
  name,
  description,
  checked,
  onChange,
}: {
  name: string;
  description: string;
  checked: boolean;
  onChange: (on: boolean) => void;
}) {
  const id = useId();
  return (
    <div className="picker-option">
      <input
        id={id}
        type="checkbox"
        checked={checked}
        aria-describedby={description ? `${id}-description` : undefined}
        onChange={(e) => onChange(e.target.checked)}
      />
      <div>
        <label htmlFor={id} className="mono">
          {name}
        </label>
        {description ? (
          <div id={`${id}-description`} className="picker-description">
            {description}
          </div>
        ) : null}
      </div>
    </div>
  );
}
