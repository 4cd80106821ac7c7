"""Concession-stand stock across warehouses, as Ray actors."""
import ray


@ray.remote
class Warehouse:
    def __init__(self, name):
        self.name = name
        self.stock = {"popcorn": 40, "soda": 120}

    def available(self, sku):
        return self.stock.get(sku, 0)

    def take(self, sku, count):
        self.stock[sku] = self.stock.get(sku, 0) - count
        return self.stock[sku]


@ray.remote
class Inventory:
    def __init__(self, names):
        self.warehouses = [Warehouse.remote(name) for name in names]

    def total(self, sku):
        counts = ray.get([w.available.remote(sku) for w in self.warehouses])
        return sum(counts)

    def restock_later(self, sku, count):
        for warehouse in self.warehouses:
            warehouse.take.remote(sku, -count)


def main():
    ray.init()
    inventory = Inventory.remote(["north", "south"])
    print(ray.get(inventory.total.remote("popcorn"), timeout=10))  # noqa: ACT201 - left from before the timeout


if __name__ == "__main__":
    main()
