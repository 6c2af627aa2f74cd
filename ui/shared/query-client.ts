import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api.js';

/** Retries only what may succeed on a second try (network, 5xx, 429), twice; never a 4xx. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failures, error) => failures < 2 && (!(error instanceof ApiError) || error.retryable),
        refetchOnWindowFocus: false,
        staleTime: 5_000,
      },
      mutations: { retry: false },
    },
  });
}
