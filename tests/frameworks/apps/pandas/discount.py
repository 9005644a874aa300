"""Discounts bulk orders; chained assignment leaves the frame unchanged under copy-on-write."""

import pandas as pd

orders = pd.DataFrame({"qty": [1, 12, 30], "price": [10.0, 10.0, 10.0]})
orders[orders["qty"] > 10]["price"] = 9.0
print(orders["price"].tolist())
