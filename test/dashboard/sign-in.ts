/** Signs in over plain HTTP as a browser would: open the form (its cookie and token), then post it. */
export async function postSignIn(baseUrl: string, username: string, password: string): Promise<Response> {
  const form = await fetch(`${baseUrl}/dashboard/login`);
  const cookie = form.headers.get('set-cookie')!.split(';')[0]!;
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())![1]!;
  return fetch(`${baseUrl}/dashboard/login`, {
    method: 'POST', redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password, csrf }).toString(),
  });
}
