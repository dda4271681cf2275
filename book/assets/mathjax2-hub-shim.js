/* The widget renderer (@jupyter-widgets/html-manager 1.x) typesets widget labels with MathJax 2's
   MathJax.Hub.Queue(['Typeset', MathJax.Hub, element]); the site loads MathJax 3, which has no Hub, so every
   label threw "Cannot read properties of undefined (reading 'Queue')". This gives whatever window.MathJax
   becomes (Sphinx's configuration object, then MathJax 3 itself) a non-enumerable Hub.Queue that hands the
   element to MathJax 3's typesetPromise. */
(function () {
  var current = window.MathJax;
  var hub = {
    Queue: function () {
      for (var i = 0; i < arguments.length; i++) {
        var cmd = arguments[i];
        var el = cmd && cmd[2];
        var mj = window.MathJax;
        if (el && mj && typeof mj.typesetPromise === "function") {
          mj.typesetPromise([el]).catch(function () {});
        }
      }
    }
  };
  function withHub(value) {
    if (value && typeof value === "object" && !value.Hub) {
      try { Object.defineProperty(value, "Hub", {value: hub, enumerable: false, configurable: true}); } catch (e) {}
    }
    return value;
  }
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    get: function () { return current; },
    set: function (value) { current = withHub(value); }
  });
  withHub(current);
})();
