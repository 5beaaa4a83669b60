"""cowapp: the bedside IT support app on a hospital's Computer On Wheels (COW) cart.

Nurses report problems, technicians resolve or escalate them at the bedside, and every issue is
stored on the cart first and synchronised to the central IT service later. See README.md.
"""

__version__ = "0.1.0"
