"""The web chat: a page with Microsoft's Web Chat, its Direct Line tokens, and a local Direct Line.

`mount_webchat` is the only entry point; `app.py` calls it once. Which parts are mounted:

| settings                               | page `/` | token endpoint           | local Direct Line |
|----------------------------------------|----------|--------------------------|-------------------|
| neither DIRECT_LINE_SECRET nor app id  | yes      | local tokens             | yes (loopback)    |
| DIRECT_LINE_SECRET                     | yes      | Azure Direct Line tokens | never             |
| MicrosoftAppId without the secret      | 503 page | 503                      | never             |
"""

from bot.webchat.mount import WebChatMode, mount_webchat, webchat_mode

__all__ = ["WebChatMode", "mount_webchat", "webchat_mode"]
