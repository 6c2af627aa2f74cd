import { prettyBody } from '../format.js';
import { CopyButton } from './CopyButton.js';

/** A payload, schema or response body as text (never HTML), pretty-printed when it is JSON. */
export function CodeBlock({ value, label, maxHeight }: { value: unknown; label?: string; maxHeight?: number }) {
  const text = prettyBody(value);
  return (
    <div className="code-block">
      <div className="code-block-bar">
        <span className="muted small">{label ?? ''}</span>
        <CopyButton text={text} label={label ? `Copy ${label.toLowerCase()}` : 'Copy'} />
      </div>
      <pre tabIndex={0} aria-label={label} style={maxHeight ? { maxHeight } : undefined}>
        <code>{text}</code>
      </pre>
    </div>
  );
}
