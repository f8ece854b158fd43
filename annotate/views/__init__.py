"""The reviewer's pages: reading (`pages`), claims (`claims`), sources and notes
(`evidence`). Views stay thin: selectors read, services write, `workspace` assembles
what the templates show."""
