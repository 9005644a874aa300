def restock(inventory, item, amount):
    inventory[item] = inventory.get(item, 0) + amount
    return inventory
