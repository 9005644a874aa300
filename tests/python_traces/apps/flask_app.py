from flask import Flask, request

app = Flask(__name__)


@app.post("/login")
def login() -> str:
    return request.form["username"]


if __name__ == "__main__":
    app.debug = True
    app.testing = True
    app.test_client().post("/login", data={"password": "x"})
