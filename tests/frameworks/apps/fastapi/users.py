from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

app = FastAPI()


class UserOut(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    email: str


USERS = {1: {"name": "Ada", "email": "ada@example.com", "password": "hunter2"}}


@app.get("/users/{user_id}")
def read_user(user_id: int) -> UserOut:
    row = USERS[user_id]
    return UserOut(name=row["name"], email=row["email"], password=row["password"])
