// HLS playback shared by the demo page and the stand-alone player page.
// The stream is an EVENT playlist that grows while the avatar is generated and gets
// #EXT-X-ENDLIST at the end, so the player must start at 0 and play everything,
// never jump to the live edge as hls.js does by default for live playlists.
(function (global) {
  'use strict';

  var HLS_CONFIG = {
    // Start at the first segment, not at the live edge.
    startPosition: 0,
    // Keep hls.js from ever seeking forward to catch up with the growing playlist:
    // a user wants the whole answer, not the latest second of it.
    liveSyncDuration: 3600,
    liveMaxLatencyDuration: Infinity,
    maxLiveSyncPlaybackRate: 1,
    liveDurationInfinity: false,
    lowLatencyMode: false,
    // The segments are short and local; generous retries ride out a slow generator.
    manifestLoadingMaxRetry: 6,
    levelLoadingMaxRetry: 6,
    fragLoadingMaxRetry: 6,
    enableWorker: true
  };

  function describeHlsError(data) {
    var parts = [data.type, data.details];
    if (data.response && data.response.code) {
      parts.push('HTTP ' + data.response.code);
    }
    if (data.error && data.error.message) {
      parts.push(data.error.message);
    }
    return parts.filter(Boolean).join(': ');
  }

  /**
   * Plays playlistUrl in video. callbacks: onFatal(message), onInfo(message).
   * Returns {engine, destroy(), errors} where errors collects every hls.js error seen.
   */
  function playHls(video, playlistUrl, callbacks) {
    callbacks = callbacks || {};
    var onFatal = callbacks.onFatal || function () {};
    var onInfo = callbacks.onInfo || function () {};
    var handle = { engine: null, errors: [], hls: null, destroy: function () {} };

    var Hls = global.Hls;
    if (Hls && Hls.isSupported()) {
      var hls = new Hls(HLS_CONFIG);
      handle.engine = 'hls.js ' + Hls.version;
      handle.hls = hls;
      hls.on(Hls.Events.ERROR, function (event, data) {
        var message = describeHlsError(data);
        handle.errors.push({ fatal: !!data.fatal, type: data.type, details: data.details, message: message });
        if (!data.fatal) {
          return;
        }
        // One recovery attempt per kind, as the hls.js documentation suggests;
        // a second fatal error of the same kind is reported to the user.
        if (data.type === Hls.ErrorTypes.MEDIA_ERROR && !handle.mediaRecoveryTried) {
          handle.mediaRecoveryTried = true;
          onInfo('media error, recovering: ' + message);
          hls.recoverMediaError();
          return;
        }
        onFatal(message);
        hls.destroy();
      });
      hls.on(Hls.Events.MANIFEST_PARSED, function () {
        var playing = video.play();
        if (playing && playing.catch) {
          playing.catch(function (e) { onInfo('autoplay refused: ' + e.message); });
        }
      });
      hls.loadSource(playlistUrl);
      hls.attachMedia(video);
      handle.destroy = function () { hls.destroy(); };
    } else if (video.canPlayType('application/vnd.apple.mpegurl')) {
      // Safari and browsers with native HLS: they need no CORS and start at 0 for EVENT playlists.
      handle.engine = 'native';
      video.src = playlistUrl;
      var onError = function () {
        var err = video.error;
        var message = 'native playback error' + (err ? ': code ' + err.code + ' ' + (err.message || '') : '');
        handle.errors.push({ fatal: true, type: 'native', details: 'mediaError', message: message });
        onFatal(message);
      };
      video.addEventListener('error', onError);
      var started = video.play();
      if (started && started.catch) {
        started.catch(function (e) { onInfo('autoplay refused: ' + e.message); });
      }
      handle.destroy = function () {
        video.removeEventListener('error', onError);
        video.removeAttribute('src');
        video.load();
      };
    } else {
      handle.engine = 'none';
      onFatal('This browser can play neither HLS through Media Source Extensions nor natively.');
    }
    return handle;
  }

  global.LipsyncPlayer = { playHls: playHls, config: HLS_CONFIG };
})(window);
