// httpyac's settings for GinoDemo.Api.http (httpyac reads this file from the .http file's folder), so that httpyac
// (CI's runner: scripts/gates.sh, gate_http_file) sends that file exactly as Visual Studio does:
// - Request variables in Visual Studio's syntax: {{create.response.body.$.id}} (a JSONPath of `$`, `.name` and
//   `[index]` steps) and {{read.response.headers.ETag}}, read from the named request's last answer. httpyac itself
//   offers only its own {{create.id}} and JavaScript.
// - Each request's "# @expect-status N" comment is a test: the answer's status must be N, or `httpyac send` exits
//   non-zero. httpyac's own "?? status == N" lines would be sent by Visual Studio as part of the request.
// - GINO_DEMO_HTTP_HOST, when set, replaces the file's @host (CI's API listens on a free port).
const requestVariable = /^\s*([A-Za-z_][\w-]*)\.response\.(body|headers)\.(.+?)\s*$/u;

function bodyValue(name, body, path) {
  if (!path.startsWith('$')) {
    throw new Error(`${name}.response.body.${path}: the path must start with $`);
  }
  let value = body;
  for (const step of path.slice(1).matchAll(/\.([A-Za-z_][\w-]*)|\[(\d+)\]|(.)/gu)) {
    if (step[3] !== undefined) {
      throw new Error(`${name}.response.body.${path}: only .name and [index] steps are understood`);
    }
    value = value?.[step[1] ?? Number(step[2])];
  }
  if (value === undefined || value === null) {
    throw new Error(`${name}.response.body.${path} is not in the answer: ${JSON.stringify(body)}`);
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

module.exports = {
  configureHooks(api) {
    api.hooks.replaceVariable.addHook('visualStudioRequestVariables', (text, _type, context) =>
      api.utils.parseHandlebarsString(text, async (variable) => {
        if (variable.trim() === 'host' && process.env.GINO_DEMO_HTTP_HOST) {
          return process.env.GINO_DEMO_HTTP_HOST;
        }
        const match = requestVariable.exec(variable);
        if (!match) {
          return undefined;
        }
        const [, name, part, path] = match;
        const response = context.variables[`${name}Response`];
        if (!response) {
          throw new Error(`{{${variable}}}: the request named ${name} has no answer yet; send it first`);
        }
        if (part === 'headers') {
          const header = api.utils.getHeaderString(response.headers, path);
          if (header === undefined) {
            throw new Error(`{{${variable}}}: the answer to ${name} has no ${path} header`);
          }
          return header;
        }
        return bodyValue(name, response.parsedBody ?? JSON.parse(response.body), path);
      }), { before: ['host'] });

    api.hooks.onResponse.addHook('expectStatus', (response, context) => {
      // httpyac camel-cases metadata names: "# @expect-status" is expectStatus.
      const expected = context.httpRegion.metaData.expectStatus;
      if (expected === undefined) {
        return;
      }
      const ok = String(response.statusCode) === String(expected).trim();
      api.utils.addTestResultToHttpRegion(context.httpRegion, {
        message: `status ${response.statusCode}, expected ${String(expected).trim()}`,
        status: ok ? 'SUCCESS' : 'FAILED',
      });
    });
  },
};
