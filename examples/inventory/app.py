"""A tiny program with a bug: run it, pipe its traceback into homeostasis."""

import json

from stock import restock


def main() -> None:
    inventory = json.loads('{"apples": 3, "pears": 0}')
    print("bananas:", inventory["bananas"])
    restock(inventory, "pears", amount=5, urgent=True)


if __name__ == "__main__":
    main()
