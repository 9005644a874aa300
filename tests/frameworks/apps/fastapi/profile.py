from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Account:
    """Stands in for an ORM row: data in attributes, not a dict."""

    def __init__(self, name: str, plan: str) -> None:
        self.name = name
        self.plan = plan


class AccountOut(BaseModel):
    name: str
    plan: str


@app.get("/me")
def me() -> AccountOut:
    return AccountOut.from_orm(Account("Ada", "pro"))
