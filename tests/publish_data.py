"""A small, realistic Перечень of three subdivisions for the publication and diff tests: rows of
several directions and both clients, a row of «внешний и внутренний», a text that starts like a
formula, and two rows with errors (with the findings validation gives for them)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from tpcheck.findings import Report, issue

from .frames import valid_row

INFO = "otdel_informacii.xlsx"
STAFF = "otdel_kadrov.xlsx"
CONTROL = "otdel_nadzora.xlsx"

APPEALS = "Рассмотрение обращений граждан"
INFORMING = "Информирование населения о деятельности Департамента"
TRAINING = "Обучение населения действиям в чрезвычайных ситуациях"


def rows() -> dict[str, list[dict[str, Any]]]:
    """File name → rows as the clerks typed them."""
    return {
        INFO: [
            valid_row(),
            valid_row(
                touchpoint="Сообщество Департамента во ВКонтакте",
                touchpoint_type="соцсеть",
                location="https://vk.com/dchs_kuzbass",
                needs="1; 2; 8",
                procedure="Ответ на комментарий к записи — в течение 2 часов в рабочее время",
            ),
            valid_row(
                direction="4",
                activity=APPEALS,
                activity_kind="функция",
                client="внешний и внутренний",
                touchpoint="Телефон «горячей линии» Департамента",
                touchpoint_type="горячая линия",
                channel="оффлайн",
                location="+7 (3842) 58-00-00",
                needs="2; 4; 5",
                procedure="Прием звонков по будням с 9:00 до 18:00; обращение регистрируется в "
                "день звонка",
            ),
            valid_row(
                direction="4",
                activity=APPEALS,
                activity_kind="функция",
                touchpoint="Электронная почта Департамента",
                touchpoint_type="электронная почта",
                location="priemnaya@dchs.kuzbass.ru",
                needs="4, 6",
                procedure="=Ответ направляется на адрес, с которого пришло обращение",
            ),
        ],
        STAFF: [
            valid_row(
                direction="6",
                activity="Оформление отпусков и справок сотрудникам",
                activity_kind="сервис",
                client="внутренний",
                touchpoint="Кадровый портал Департамента",
                touchpoint_type="сайт",
                location="https://portal.dchs.local/hr",
                needs="3; 4; 6",
                procedure="Заявление подается через портал; справка готовится за 3 рабочих дня",
                subdivision="Отдел кадров",
            ),
            valid_row(
                direction="6",
                activity="Оформление отпусков и справок сотрудникам",
                activity_kind="сервис",
                client="внутренний",
                touchpoint="Отдел кадров, кабинет 214",
                touchpoint_type="личный прием",
                channel="оффлайн",
                location="г. Кемерово, пр. Советский, 60, каб. 214",
                needs="2; 10",
                note="заверение копий трудовой книжки",
                procedure="Прием по вторникам и четвергам с 14:00 до 17:00",
                subdivision="Отдел кадров",
            ),
            valid_row(
                direction="6",
                activity="Обучение сотрудников",
                client="внутренний",
                touchpoint="Учебный класс",
                touchpoint_type="личный прием",
                channel="оффлайн",
                needs=None,
                subdivision="Отдел кадров",
            ),
        ],
        CONTROL: [
            valid_row(
                direction="1",
                activity=TRAINING,
                activity_kind="услуга",
                touchpoint="Учебно-методический центр по ГО и ЧС",
                touchpoint_type="личный прием",
                channel="оффлайн",
                location="г. Кемерово, ул. Кирова, 41",
                needs="1; 2; 4; 6",
                procedure="Запись на курсы по телефону или при личном обращении; занятия по "
                "расписанию центра",
                basis_kind="внутренний акт",
                basis="Приказ Департамента от 10.01.2024 № 5",
                operator="подведомственное учреждение",
                subdivision="ГКУ «УМЦ по ГО и ЧС Кузбасса»",
            ),
            valid_row(
                direction="3",
                activity="Региональный государственный надзор в области защиты населения",
                activity_kind="функция",
                touchpoint="Выездная проверка",
                touchpoint_type="место длительного нахождения",
                channel="цифровая",
                location="по месту нахождения объекта",
                needs="7; 6",
                procedure="Проверка по плану, уведомление за 3 рабочих дня",
            ),
        ],
    }


def frame() -> pd.DataFrame:
    from .frames import frame_from_files

    return frame_from_files(rows())


def report(frame: pd.DataFrame) -> Report:
    """The findings validation gives for the sample: the empty needs (row 5 of the staff file)
    and the вид that contradicts the type (row 4 of the control file)."""
    return Report(
        [
            issue(
                "required-missing",
                file=STAFF,
                sheet="Перечень",
                row=5,
                column="Удовлетворяемые потребности клиента (п. 3.7) *",
                cell="J5",
                field="needs",
            ),
            issue(
                "channel-mismatch",
                file=CONTROL,
                sheet="Перечень",
                row=4,
                column="Вид точки (цифровая / оффлайн) *",
                cell="H4",
                value="цифровая",
                field="channel",
                type="место длительного нахождения (школа, больница и др.)",
                expected="оффлайн",
            ),
        ],
        files=frame.tpcheck.files,
        rows=len(frame),
    )
