// Demo page: starts a session, polls its status and plays the stream as soon as the
// playlist has its first segment; Stop cancels it (DELETE). No build step: plain browser JavaScript.
(function () {
  'use strict';

  var POLL_INTERVAL_MS = 500;
  // Status polls that fail in a row (network, 5xx) before the page gives up on the session.
  var MAX_POLL_FAILURES = 10;

  // ?api=http://host:port lets the page drive a service on another origin (the service sends CORS headers).
  var apiBase = new URLSearchParams(window.location.search).get('api') || window.location.origin;

  var el = function (id) { return document.getElementById(id); };
  var form = el('start-form');
  var startButton = el('start');
  var stopButton = el('stop');
  var video = el('video');

  var current = null; // {sessionId, timer, player, failures}

  function apiUrl(path) {
    return new URL(path, apiBase).toString();
  }

  function showError(message) {
    var box = el('error');
    box.textContent = message;
    box.hidden = false;
  }

  function clearError() {
    var box = el('error');
    box.textContent = '';
    box.hidden = true;
  }

  function setStatus(status, progress) {
    el('status').textContent = status;
    if (typeof progress === 'number' && isFinite(progress)) {
      var clamped = Math.max(0, Math.min(100, Math.round(progress)));
      el('progress').value = clamped;
      el('progress-text').textContent = clamped + '%';
    }
  }

  // The API answers errors as JSON {"error": code, "message": sentence}; a proxy's may not be JSON.
  function errorMessageOf(response, body) {
    var message = body && (body.message || body.detail || body.title || body.error);
    var code = body && (body.error_code || (body.message && typeof body.error === 'string' ? body.error : null));
    var text = 'HTTP ' + response.status + (message ? ': ' + message : ' ' + response.statusText);
    return code ? text + ' (' + code + ')' : text;
  }

  function readJson(response) {
    return response.text().then(function (text) {
      if (!text) {
        return null;
      }
      try {
        return JSON.parse(text);
      } catch (e) {
        // A plain-text reason is worth showing; an HTML error page is not.
        return /^\s*</.test(text) ? null : { error: text.slice(0, 300) };
      }
    });
  }

  function stopCurrent() {
    if (!current) {
      return;
    }
    clearTimeout(current.timer);
    if (current.player) {
      current.player.destroy();
    }
    current = null;
  }

  function startPlayer(session, playlistUrl) {
    if (session.player) {
      return;
    }
    el('playlist-link').href = playlistUrl;
    el('playlist-link').textContent = playlistUrl;
    el('playlist-line').hidden = false;
    session.player = window.LipsyncPlayer.playHls(video, playlistUrl, {
      onFatal: function (message) { showError('Playback failed: ' + message); },
      onInfo: function (message) { console.info('player:', message); }
    });
    el('player-engine').textContent = '(' + session.player.engine + ')';
    window.lipsyncDemo.player = session.player;
  }

  function finish(session) {
    if (current === session) {
      clearTimeout(session.timer);
      startButton.disabled = false;
      stopButton.disabled = true;
    }
  }

  // Cancels the generation; the player keeps what was made (the playlist ends after its last segment).
  function cancel(session) {
    stopButton.disabled = true;
    fetch(apiUrl('/api/stream/' + encodeURIComponent(session.sessionId)), { method: 'DELETE' })
      .then(function (response) {
        return readJson(response).then(function (body) {
          if (current !== session) {
            return;
          }
          if (response.ok) {
            setStatus(body.status, body.progress);
            // Segments published before the next poll would have seen them are still played.
            if (body.playlist_ready) {
              startPlayer(session, session.playlistUrl);
            }
            finish(session);
          } else if (response.status !== 409) {
            // 409: it ended on its own a moment ago; the next poll shows how.
            showError('Could not stop: ' + errorMessageOf(response, body));
            stopButton.disabled = false;
          }
        });
      })
      .catch(function (e) {
        if (current === session) {
          showError('Could not stop: ' + e.message);
          stopButton.disabled = false;
        }
      });
  }

  function poll(session) {
    fetch(session.statusUrl, { cache: 'no-store' })
      .then(function (response) {
        return readJson(response).then(function (body) {
          if (!response.ok) {
            // An unknown or expired session will not come back: stop polling.
            if (response.status === 404 || response.status === 400) {
              throw Object.assign(new Error(errorMessageOf(response, body)), { final: true });
            }
            throw new Error(errorMessageOf(response, body));
          }
          return body;
        });
      })
      .then(function (body) {
        if (current !== session) {
          return;
        }
        session.failures = 0;
        setStatus(body.status, body.progress);
        if (body.engine) {
          el('engine').textContent = 'engine: ' + body.engine;
        }
        if (body.playlist_ready) {
          startPlayer(session, session.playlistUrl);
        }
        if (body.status === 'error') {
          showError((body.error || 'Generation failed') + (body.error_code ? ' (' + body.error_code + ')' : ''));
          finish(session);
          return;
        }
        if (body.status === 'cancelled') {
          finish(session);
          return;
        }
        if (body.status === 'ready') {
          // A stream that was ready before the first poll still has to be played.
          startPlayer(session, session.playlistUrl);
          finish(session);
          return;
        }
        session.timer = setTimeout(function () { poll(session); }, POLL_INTERVAL_MS);
      })
      .catch(function (e) {
        if (current !== session) {
          return;
        }
        session.failures += 1;
        if (e.final || session.failures >= MAX_POLL_FAILURES) {
          showError('Status check failed: ' + e.message);
          finish(session);
          return;
        }
        session.timer = setTimeout(function () { poll(session); }, POLL_INTERVAL_MS);
      });
  }

  function start(text, lang, avatar) {
    stopCurrent();
    clearError();
    setStatus('starting', 0);
    el('engine').textContent = '';
    el('session-id').textContent = '';
    el('player-engine').textContent = '';
    el('playlist-line').hidden = true;
    startButton.disabled = true;
    stopButton.disabled = true;

    var request = { text: text, lang: lang };
    if (avatar) {
      request.avatar = avatar;
    }
    fetch(apiUrl('/api/stream/start'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
      body: JSON.stringify(request)
    })
      .then(function (response) {
        return readJson(response).then(function (body) {
          if (!response.ok) {
            throw new Error(errorMessageOf(response, body));
          }
          return body;
        });
      })
      .then(function (body) {
        var session = {
          sessionId: body.session_id,
          playlistUrl: apiUrl(body.playlist_url),
          statusUrl: apiUrl(body.status_url || '/api/stream/status/' + encodeURIComponent(body.session_id)),
          failures: 0,
          timer: null,
          player: null
        };
        current = session;
        window.lipsyncDemo.sessionId = session.sessionId;
        el('session-id').textContent = 'session ' + session.sessionId;
        setStatus('created', 0);
        stopButton.disabled = false;
        poll(session);
      })
      .catch(function (e) {
        setStatus('error');
        showError('Could not start: ' + e.message);
        startButton.disabled = false;
      });
  }

  stopButton.addEventListener('click', function () {
    if (current) {
      cancel(current);
    }
  });

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = el('text').value;
    if (!text.trim()) {
      showError('Please type some text for the avatar to say.');
      return;
    }
    start(text, el('lang').value, el('avatar').value.trim());
  });

  // For the console and for tests: the current session id and player (engine and hls.js errors).
  window.lipsyncDemo = { sessionId: null, player: null, apiBase: apiBase };
})();
