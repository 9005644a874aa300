from models import setup
from sqlalchemy.orm import Session

engine = setup()

with Session(engine) as session:
    total = session.execute("SELECT count(*) FROM users").scalar()
    print("users:", total)
