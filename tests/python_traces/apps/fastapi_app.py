import sys

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.testclient import TestClient
from pydantic import BaseModel

app = FastAPI()


class User(BaseModel):
    name: str
    age: int


@app.get("/users/{user_id}", response_model=User)
def read_user(user_id: int) -> dict[str, object]:
    return {"nickname": "Ada"}


@app.post("/users")
def create_user(user: User) -> User:
    return user


if __name__ == "__main__":
    client = TestClient(app, raise_server_exceptions=True)
    if sys.argv[1:] == ["request"]:
        # Without FastAPI's default 422 handler the error reaches the server like any other.
        app.exception_handlers.pop(RequestValidationError)
        client.post("/users", json={"name": "Ada", "age": "old"})
    else:
        client.get("/users/1")
