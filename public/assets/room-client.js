// Room page: reports the ElevenLabs conversation id and the transcript of a call back to the server.
// Loaded as a file (the page's CSP allows no inline script). The page cookie authenticates the requests.
(function () {
  'use strict';
  var root = document.getElementById('room');
  var widget = document.querySelector('elevenlabs-convai');
  if (!root || !widget) return;
  var base = '/api/conversations/' + encodeURIComponent(root.getAttribute('data-conversation-id'));
  var pending = [];
  var callIndex = 0;
  var messageIndex = 0;
  var connectedAt = 0;
  var timer = null;

  function send(method, path, body, keepalive) {
    return fetch(base + path, {
      method: method,
      credentials: 'same-origin',
      keepalive: Boolean(keepalive),
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).catch(function (error) {
      console.warn('[room] could not report to the server:', error);
    });
  }

  // Messages go in batches; clientMessageId makes a retried batch harmless.
  function flush(keepalive) {
    if (timer) { clearTimeout(timer); timer = null; }
    if (!pending.length) return Promise.resolve();
    var batch = pending.splice(0, 200);
    return send('POST', '/messages', { messages: batch }, keepalive).then(function () {
      if (pending.length) return flush(keepalive);
    });
  }

  function record(message) {
    if (!message || typeof message.message !== 'string' || !message.message) return;
    var role = message.role === 'user' || message.source === 'user' ? 'user' : 'agent';
    pending.push({
      clientMessageId: 'c' + callIndex + '-m' + (messageIndex++),
      role: role,
      message: message.message.slice(0, 20000),
      timeInCallSecs: connectedAt ? Math.max(0, (Date.now() - connectedAt) / 1000) : undefined,
    });
    if (!timer) timer = setTimeout(flush, 2000);
  }

  // The widget fires this right before starting a session; listeners may change event.detail.config.
  // The widget sets its own onMessage/onDisconnect after this event, so we wrap them once connected:
  // onConnect is called as a method of the session's options object.
  widget.addEventListener('elevenlabs-convai:call', function (event) {
    var config = event.detail && event.detail.config;
    if (!config) return;
    callIndex += 1;
    messageIndex = 0;
    var previousOnConnect = config.onConnect;
    config.onConnect = function (info) {
      var options = this;
      connectedAt = Date.now();
      if (options && typeof options === 'object') {
        var widgetOnMessage = options.onMessage;
        var widgetOnDisconnect = options.onDisconnect;
        options.onMessage = function (message) {
          record(message);
          if (typeof widgetOnMessage === 'function') return widgetOnMessage.apply(this, arguments);
        };
        options.onDisconnect = function () {
          flush().then(function () { return send('POST', '/end'); });
          if (typeof widgetOnDisconnect === 'function') return widgetOnDisconnect.apply(this, arguments);
        };
      }
      if (info && info.conversationId) send('PATCH', '', { elevenlabsConversationId: info.conversationId });
      if (typeof previousOnConnect === 'function') return previousOnConnect.apply(this, arguments);
    };
  });

  window.addEventListener('pagehide', function () { flush(true); });
})();
