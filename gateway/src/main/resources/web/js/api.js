// REST calls to the exchange (DESIGN section 4). The API key goes only into the Authorization
// header, never into a URL, and is never logged.

/** A refused request: the problem document's status, stable code and detail. */
export class ApiError extends Error {
  constructor(status, code, detail) {
    super(`${code}: ${detail}`);
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

async function call(method, path, key, body) {
  const headers = { Accept: 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store' });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', 'the exchange did not answer');
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    json = null;
  }
  if (!res.ok) {
    throw new ApiError(res.status, json?.code ?? `HTTP_${res.status}`, json?.detail ?? res.statusText);
  }
  return json;
}

export const getJson = (path, key) => call('GET', path, key);
export const postJson = (path, key, body) => call('POST', path, key, body);
export const deleteJson = (path, key) => call('DELETE', path, key);
