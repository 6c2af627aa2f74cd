import { ApiError, createApi, data } from '../shared/api.js';

/**
 * Checks that a token is an admin token before the dashboard keeps it: `whoami` says so; where
 * that route is missing (404), listing applications (admin only) stands in for it. Resolves
 * when the token is an admin's; rejects with an ApiError whose `detail` the sign-in page shows.
 */
export async function verifyAdminToken(token: string): Promise<void> {
  const api = createApi({ token });
  try {
    const whoami = await data(api.GET('/api/v1/auth/whoami'));
    if (!whoami.admin) throw notAdmin();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 401)
      throw new ApiError(401, error.code, 'The server did not accept this token. Check it and try again.');
    if (error.status !== 404) throw error;
    await listApplications(api);
  }
}

async function listApplications(api: ReturnType<typeof createApi>): Promise<void> {
  try {
    await data(api.GET('/api/v1/app', { params: { query: { limit: 1 } } }));
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      throw new ApiError(401, error.code, 'The server did not accept this token. Check it and try again.');
    }
    if (error instanceof ApiError && error.status === 403) throw notAdmin();
    throw error;
  }
}

function notAdmin(): ApiError {
  return new ApiError(
    403,
    'not_admin',
    'This token belongs to an application. The dashboard needs the admin token (printed by `hookrelay serve`).',
  );
}
