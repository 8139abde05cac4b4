"""
Text for the XML the site sends (the Atom feeds, the SVG chart files): XML
1.0 cannot carry control characters, which an editor may paste (Word writes
a line break inside a title as ``\\x0b``). Django's feed writer refuses them
with an error; in an SVG they make the file unreadable.
"""

import re

NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def xml_text(text):
    """``text`` as XML can carry it: each control character a space."""
    return NOT_IN_XML.sub(" ", text)
