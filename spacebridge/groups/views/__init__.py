"""Pages of the working groups: the list, a group's page and feed (pages), and the pages that change a group: its
charter (charter), its members and their roles (members), its work plan (plan)."""
