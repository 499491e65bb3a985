// ReDoc's bundle draws its "API docs by Redocly" attribution with an image from cdn.redoc.ly,
// whatever its options say. Loaded before the bundle, this points that one image at a copy served
// from this site (data-logo), so the documentation page requests nothing from another host.
(function () {
  "use strict";
  var remote = "https://cdn.redoc.ly/redoc/logo-mini.svg";
  var local = document.currentScript.dataset.logo;
  var setAttribute = Element.prototype.setAttribute;
  Element.prototype.setAttribute = function (name, value) {
    if (name === "src" && value === remote && this instanceof HTMLImageElement) {
      value = local;
    }
    return setAttribute.call(this, name, value);
  };
  var src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, "src");
  Object.defineProperty(HTMLImageElement.prototype, "src", {
    configurable: true,
    enumerable: src.enumerable,
    get: src.get,
    set: function (value) { src.set.call(this, value === remote ? local : value); },
  });
})();
