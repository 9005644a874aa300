from models import User, setup
from sqlalchemy import select
from sqlalchemy.orm import Session

engine = setup()


def find(session: Session, email: str):
    return session.execute(select(User).where(User.email == email)).scalar_one()


with Session(engine) as session:
    print("ada:", find(session, "ada@example.com").email)
    print("bob:", find(session, "bob@example.com"))
