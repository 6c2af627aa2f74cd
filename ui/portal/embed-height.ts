/** The message a framed portal sends its host page; packages/portal-react listens for it. */
export const HEIGHT_MESSAGE_TYPE = 'hookrelay:portal:height';

/**
 * Inside an iframe, reports the page's height to the host whenever it changes, so the host can
 * size the frame to fit (no inner scrollbar). `data-embedded` makes the page as tall as its
 * content, not the frame: with a full-viewport minimum, a frame sized to the page could only grow.
 */
export function reportHeightToParent(): void {
  if (window.parent === window) return;
  const root = document.documentElement;
  root.dataset.embedded = 'true';
  let last = -1;
  const post = () => {
    const height = Math.ceil(root.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    // The height is not a secret, and the host's origin is not known here: any parent may read it.
    window.parent.postMessage({ type: HEIGHT_MESSAGE_TYPE, height }, '*');
  };
  new ResizeObserver(post).observe(root);
  post();
}
