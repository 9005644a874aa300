from fastapi import Depends, FastAPI

app = FastAPI()


def get_store():
    store = {"items": ["pen", "ink"]}
    yield store


@app.get("/items")
def list_items(store=Depends(get_store())):  # noqa: B008
    return store["items"]
