import { Component, type ErrorInfo, type ReactNode } from 'react';
import { ErrorState } from '../shared/components/ErrorState.js';

/**
 * What a page shows when rendering it failed, instead of a blank window: most often a page's
 * code that could not be loaded (the server was upgraded while the tab stayed open, or the
 * network dropped). A lazy page that failed to load stays failed until the document reloads,
 * so the retry reloads it. Moving to another page (`resetKey`) tries again.
 */
export class PageErrorBoundary extends Component<{ resetKey: string; children: ReactNode }, { error: unknown }> {
  state: { error: unknown } = { error: null };

  static getDerivedStateFromError(error: unknown) {
    return { error };
  }

  componentDidUpdate(previous: { resetKey: string }) {
    if (previous.resetKey !== this.props.resetKey && this.state.error !== null) this.setState({ error: null });
  }

  componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('The page failed to render', error, info.componentStack);
  }

  render() {
    if (this.state.error === null) return this.props.children;
    return (
      <ErrorState
        title="This page could not be shown"
        onRetry={() => window.location.reload()}
        error={new Error('Part of the dashboard could not be loaded or failed. Reloading usually fixes it.')}
      />
    );
  }
}
