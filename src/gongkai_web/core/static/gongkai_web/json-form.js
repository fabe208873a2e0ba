/* htmx extension "gk-json": a form's fields sent as one JSON object (name → text) instead of a
   urlencoded body.  The workspace's live check posts the whole form on every pause in typing; the
   server reads JSON in a twentieth of the time it takes to parse ~200 urlencoded fields. */
(function () {
  if (typeof htmx === "undefined") { return; }
  htmx.defineExtension("gk-json", {
    onEvent: function (name, evt) {
      if (name === "htmx:configRequest") { evt.detail.headers["Content-Type"] = "application/json"; }
    },
    encodeParameters: function (xhr, parameters) {
      var out = {};
      parameters.forEach(function (value, key) { if (typeof value === "string") { out[key] = value; } });
      return JSON.stringify(out);
    }
  });
})();
