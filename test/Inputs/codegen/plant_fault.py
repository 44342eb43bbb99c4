"""Plants a fault into the run function of a generated model.c, inside the
code of one node (from its `/* NODE: ...` comment to the next node's):

  plant_fault.py model.c NODE replace OLD NEW   every OLD becomes NEW there
  plant_fault.py model.c NODE append STATEMENT  STATEMENT after its code

The file is rewritten in place. Exits 1 if the node or OLD is not found, so
a test cannot pass with its fault missing."""
import re
import sys


def main():
    path, node, mode = sys.argv[1:4]
    text = open(path).read()
    start = text.find("\n  /* %s: " % node)
    if start < 0:
        sys.exit("plant_fault: no node '%s' in %s" % (node, path))
    following = re.search(r"\n  /\* [^\n]*: [A-Za-z]+ ", text[start + 1:])
    end = start + 1 + following.start() if following else text.rfind("\n  return 0;")
    section = text[start:end]
    if mode == "replace":
        old, new = sys.argv[4:6]
        if old not in section:
            sys.exit("plant_fault: '%s' not in the code of '%s'" % (old, node))
        section = section.replace(old, new)
    elif mode == "append":
        section += "\n  " + sys.argv[4]
    else:
        sys.exit("plant_fault: unknown mode '%s'" % mode)
    open(path, "w").write(text[:start] + section + text[end:])


if __name__ == "__main__":
    main()
