from flask import Flask, request, url_for

app = Flask(__name__)
app.config["GREETING"] = "hello"
# Let exceptions (400 Bad Request ones included) reach the test client, so tracebacks are printed.
app.config["PROPAGATE_EXCEPTIONS"] = True
app.config["TRAP_BAD_REQUEST_ERRORS"] = True


@app.post("/login")
def login():
    name = request.form["username"]
    return f"welcome {name}"


@app.route("/profile/<int:user_id>")
def profile(user_id):
    return f"user {user_id}"


@app.route("/link")
def link():
    return url_for("profil", user_id=1)
