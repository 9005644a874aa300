from models import User, setup
from sqlalchemy import select
from sqlalchemy.orm import Session

engine = setup()

with Session(engine) as session:
    user = session.scalars(select(User)).first()
print("cities:", [address.city for address in user.addresses])
