"""Totals per region; the price column is misspelt in one place."""

import pandas as pd

df = pd.DataFrame(
    {
        "region": ["north", "south", "north"],
        "price": [2.5, 4.0, 1.5],
        "quantity": [4, 1, 2],
    }
)
df["revenue"] = df["prise"] * df["quantity"]
print(df.groupby("region")["revenue"].sum().to_dict())
