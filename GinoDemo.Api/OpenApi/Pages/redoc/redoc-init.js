// Starts ReDoc (redoc.standalone.js) with the settings the server wrote into the page as JSON, so that the page runs
// no inline script and its Content-Security-Policy can allow scripts from the app only.
(function () {
  "use strict";
  // ReDoc's sidebar footer shows its vendor's logo from a CDN (https://cdn.redoc.ly), the one thing on this page that
  // is not the app's: an image address on another origin is dropped before the browser asks for it (the CSP would
  // refuse it anyway, with an error in the console), so the page requests nothing elsewhere.
  function isOwnOrInline(url) {
    var parsed = new URL(String(url), window.location.href);
    return parsed.origin === window.location.origin || parsed.protocol === "data:";
  }

  // React sets an image's address with setAttribute; the src property is guarded too.
  var setAttribute = HTMLImageElement.prototype.setAttribute;
  HTMLImageElement.prototype.setAttribute = function (name, value) {
    if (String(name).toLowerCase() !== "src" || isOwnOrInline(value)) {
      setAttribute.call(this, name, value);
    }
  };
  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: src.enumerable,
    get: src.get,
    set: function (value) {
      if (isOwnOrInline(value)) {
        src.set.call(this, value);
      }
    }
  });

  // System fonts: ReDoc names Montserrat and Roboto, which the page does not load from Google Fonts.
  var sans = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
  var settings = JSON.parse(document.getElementById("redoc-settings").textContent);
  Redoc.init(settings.url, {
    theme: {
      typography: {
        fontFamily: sans,
        headings: { fontFamily: sans },
        code: { fontFamily: "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'Liberation Mono', monospace" }
      }
    }
  }, document.getElementById("redoc-container"));
})();
