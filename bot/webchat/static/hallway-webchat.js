/* Hallway's web chat page: get a Direct Line token from the bot, then hand the chat to
   Microsoft's Web Chat (window.WebChat, loaded just before this file).

   - The token comes from POST /api/directline/token, locally and in production alike; the
     Direct Line secret stays on the server.
   - The attendee's user id ("dl_" + random) is kept in localStorage and sent back with each
     token request, so their shortlist follows them between visits on this browser.
   - Web Chat refreshes its token itself (every 15 minutes; tokens live 30). If it could not
     (the laptop slept through the expiry), the page starts again with a new token.
   - Session cards offer Add/Remove as Action.Execute (Teams refreshes the card in place) with
     an Action.Submit fallback. Web Chat's card renderer knows Action.Execute but Web Chat
     cannot send it, so incoming cards are given their fallback before they are rendered. */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("hallway-config").textContent);
  var USER_KEY = "hallway.webchat.userId";
  var EXPIRED_TOKEN = 4; // DirectLineJS ConnectionStatus: the token can no longer be used
  var ENDED = 5; // the conversation is gone (the bot restarted, or forgot an idle one)
  var status = document.getElementById("hallway-status");
  var host = document.getElementById("webchat");
  var current = null;

  function say(text, isError) {
    status.textContent = text || "";
    status.classList.toggle("hallway-error", Boolean(isError));
  }

  function storedUser() {
    try {
      return window.localStorage.getItem(USER_KEY);
    } catch (error) {
      return null; // storage disabled: a new id each visit
    }
  }

  function storeUser(id) {
    try {
      window.localStorage.setItem(USER_KEY, id);
    } catch (error) {
      /* storage disabled */
    }
  }

  function sleep(ms) {
    return new Promise(function (resolve) {
      window.setTimeout(resolve, ms);
    });
  }

  async function fetchToken() {
    for (var attempt = 0; ; attempt++) {
      var response = null;
      try {
        response = await window.fetch(config.tokenUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ userId: storedUser(), locale: config.locale })
        });
      } catch (error) {
        response = null; // network down: try again below
      }
      if (response && response.ok) {
        var grant = await response.json();
        if (grant.userId) {
          storeUser(grant.userId);
        }
        return grant;
      }
      if (response && response.status !== 429 && response.status < 500) {
        throw new Error("token refused: HTTP " + response.status);
      }
      var retryAfter = response && Number(response.headers.get("Retry-After"));
      say(config.strings.retrying, true);
      await sleep(retryAfter ? retryAfter * 1000 : Math.min(30000, 1000 * Math.pow(2, attempt)));
    }
  }

  function fallbackActions(actions) {
    return actions.map(function (action) {
      if (action && action.type === "Action.Execute" && action.fallback) {
        return action.fallback;
      }
      if (action && action.card) {
        action.card = fallbackCard(action.card);
      }
      return action;
    });
  }

  function fallbackCard(card) {
    if (card && Array.isArray(card.actions)) {
      card.actions = fallbackActions(card.actions);
    }
    return card;
  }

  // Redux middleware of Web Chat's store: rewrite cards as they arrive.
  function cardFallbacks() {
    return function (next) {
      return function (action) {
        if (action.type === "DIRECT_LINE/INCOMING_ACTIVITY") {
          var attachments = action.payload.activity.attachments || [];
          attachments.forEach(function (attachment) {
            if (attachment.contentType === "application/vnd.microsoft.card.adaptive") {
              attachment.content = fallbackCard(attachment.content);
            }
          });
        }
        return next(action);
      };
    };
  }

  async function connect() {
    say(config.strings.connecting, false);
    var grant = await fetchToken();
    var directLine = window.WebChat.createDirectLine({
      token: grant.token,
      domain: config.domain || window.location.origin + "/v3/directline",
      webSocket: true,
      // Direct Line puts this locale on the conversationUpdate: the welcome is in French too.
      conversationStartProperties: { locale: config.locale }
    });
    directLine.connectionStatus$.subscribe(function (state) {
      if ((state === EXPIRED_TOKEN || state === ENDED) && current === directLine) {
        restart();
      }
    });
    var previous = current;
    current = directLine;
    if (previous) {
      previous.end();
    }
    var target = document.createElement("div");
    host.replaceChildren(target);
    window.WebChat.renderWebChat(
      {
        directLine: directLine,
        store: window.WebChat.createStore({}, cardFallbacks),
        locale: config.locale,
        nonce: config.nonce,
        styleOptions: {
          accent: "#0b556a",
          botAvatarInitials: "H",
          hideUploadButton: true,
          rootHeight: "100%"
        }
      },
      target
    );
    say("", false);
  }

  var restarting = false;
  async function restart() {
    if (restarting) {
      return;
    }
    restarting = true;
    try {
      await connect();
    } catch (error) {
      say(config.strings.unavailable, true);
    } finally {
      restarting = false;
    }
  }

  if (!config.available || !window.WebChat) {
    say(config.available ? config.strings.unavailable : config.strings.notConfigured, true);
    return;
  }
  restart();
})();
