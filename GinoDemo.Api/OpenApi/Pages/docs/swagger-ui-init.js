// Starts Swagger UI (swagger-ui-dist) with the settings the server wrote into the page as JSON, so that the page
// runs no inline script and its Content-Security-Policy can allow scripts from the app only.
(function () {
  "use strict";
  var settings = JSON.parse(document.getElementById("swagger-ui-settings").textContent);
  var ui = SwaggerUIBundle({
    url: settings.url,
    dom_id: "#swagger-ui",
    // The redirect page must be an absolute URL: the issuer sends the browser back to it after signing in.
    oauth2RedirectUrl: new URL(settings.oauth2RedirectPath, window.location.href).href,
    // null: the document is never sent to the public validator at validator.swagger.io.
    validatorUrl: null,
    deepLinking: true,
    docExpansion: "list",
    defaultModelsExpandDepth: 1,
    defaultModelExpandDepth: 1,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
  if (settings.oauth) {
    ui.initOAuth(settings.oauth);
  }
  window.ui = ui;
})();
