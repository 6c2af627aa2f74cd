import { useId } from 'react';

/** How the endpoint gets its messages: pushed to a URL (Svix's endpoints) or polled (Hookrelay's pull API). */
export function KindChoice({ value, onChange }: { value: 'url' | 'poll'; onChange: (kind: 'url' | 'poll') => void }) {
  const name = useId();
  return (
    <fieldset className="fieldset">
      <legend className="field-label">Delivery</legend>
      <label className="choice">
        <input type="radio" name={name} checked={value === 'url'} onChange={() => onChange('url')} />
        <span>
          <strong>Push to a URL</strong>
          <span className="picker-description">We POST each message to your server and retry on failure.</span>
        </span>
      </label>
      <label className="choice">
        <input type="radio" name={name} checked={value === 'poll'} onChange={() => onChange('poll')} />
        <span>
          <strong>Poll</strong>
          <span className="picker-description">
            Your server fetches messages when it is ready; no public URL needed.
          </span>
        </span>
      </label>
    </fieldset>
  );
}
