import sys

from lxml import etree


def read_setting(doc, key):
    evaluator = etree.XPathEvaluator(doc)
    return evaluator("/config/setting[@key='{}']/@value".format(key))


if __name__ == "__main__":
    tree = etree.parse("settings.xml")
    print(read_setting(tree, sys.argv[1]))
